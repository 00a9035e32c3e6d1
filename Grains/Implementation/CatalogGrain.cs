namespace Summit.Grains;

/// <summary>One shard of a summit's id list for one kind of entity (key: <see cref="GrainKeys.Catalog"/>).</summary>
[GrainType("summit.catalog")]
public sealed class CatalogGrain(
    [PersistentState("catalog", StorageNames.Summit)] IPersistentState<CatalogState> state)
    : Grain, ICatalogGrain
{
    // Replaced, never mutated, so the interleaving List answers only persisted ids.
    private string[] _committed = [];
    private HashSet<string> _known = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Ids ??= [];
        _committed = [.. state.State.Ids.Order(StringComparer.Ordinal)];
        _known = new HashSet<string>(_committed, StringComparer.Ordinal);
        return base.OnActivateAsync(cancellationToken);
    }

    public Task Add(string id) => AddMany([id]);

    public async Task AddMany(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Any(string.IsNullOrEmpty)) throw new ArgumentException("Catalog ids must not be empty.", nameof(ids));
        var fresh = ids.Where(id => !_known.Contains(id)).Distinct(StringComparer.Ordinal).ToArray();
        if (fresh.Length == 0) return;

        string[] next = [.. _committed.Concat(fresh).Order(StringComparer.Ordinal)];
        var previous = state.State;
        state.State = new CatalogState { Ids = [.. next] };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
        _committed = next;
        _known.UnionWith(fresh);
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(_committed);
}
