using Summit.Domain;

namespace Summit.Gateway.Api;

/// <summary>
/// Reads an entity, asks whether the actor may change it, then changes exactly the version that was judged: the grain
/// refuses the change if the entity moved on in between, so an access decision never applies to a version it did not see.
/// </summary>
public static class GuardedChange
{
    // Without If-Match a client did not ask for concurrency control, so a lost race is retried on the new version.
    private const int Attempts = 5;

    /// <param name="read">The current entity, or null when there is none.</param>
    /// <param name="authorize">Throws when the actor may not make this change to that entity.</param>
    /// <param name="change">Applies the change, passing the version as the grain's expectedVersion.</param>
    /// <param name="ifMatch">What the client sent in If-Match, if anything.</param>
    public static async Task<TResult> RunAsync<TCurrent, TResult>(
        Func<Task<TCurrent?>> read,
        Func<TCurrent, int> version,
        Action<TCurrent> authorize,
        Func<TCurrent, int, Task<TResult>> change,
        IfMatch? ifMatch,
        Func<EntityNotFoundException> notFound)
        where TCurrent : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await read() ?? throw notFound();
            authorize(current);
            var seen = version(current);
            // `*` matches whatever version exists, so it is retried on a lost race like a write without If-Match.
            try
            {
                if (ifMatch is { Any: false } condition)
                    // Checked after authorization, so a refused caller learns nothing about versions.
                    return await change(current, condition.ExpectedOrThrow(seen, notFound));
                return await change(current, seen);
            }
            catch (VersionConflictException) when (attempt < Attempts && ifMatch is not { Any: false })
            {
            }
            // The store refused the commit for another writer's change (the grain has reloaded): read and judge again;
            // with If-Match, the next round answers 412 if the client's version is no longer the current one.
            catch (ConcurrentChangeException) when (attempt < Attempts)
            {
            }
        }
    }
}
