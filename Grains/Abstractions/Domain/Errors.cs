namespace Summit.Domain;

/// <summary>A command was refused because of its input; nothing was changed.</summary>
/// <remarks>Keys of <see cref="Errors"/> are the camelCase field names a client sent, e.g. <c>dueDate</c> or <c>checklist.venue</c>.</remarks>
[GenerateSerializer, Alias("summit.validation-error")]
public sealed class DomainValidationException : Exception
{
    public DomainValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(Describe(errors)) => Errors = errors;

    public DomainValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    [Id(0)] public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        "Invalid input: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}

[GenerateSerializer, Alias("summit.not-found")]
public sealed class EntityNotFoundException(EntityKind kind, string id)
    : Exception($"{kind} '{id}' does not exist.")
{
    [Id(0)] public EntityKind Kind { get; } = kind;
    [Id(1)] public string Id { get; } = id;
}

[GenerateSerializer, Alias("summit.already-exists")]
public sealed class EntityExistsException(EntityKind kind, string id)
    : Exception($"{kind} '{id}' already exists.")
{
    [Id(0)] public EntityKind Kind { get; } = kind;
    [Id(1)] public string Id { get; } = id;
}

/// <summary>The caller edited an older version than the one stored (optimistic concurrency).</summary>
[GenerateSerializer, Alias("summit.version-conflict")]
public sealed class VersionConflictException(EntityKind kind, string id, int expected, int current)
    : Exception($"{kind} '{id}' is at version {current}, not {expected}.")
{
    [Id(0)] public EntityKind Kind { get; } = kind;
    [Id(1)] public string Id { get; } = id;
    [Id(2)] public int Expected { get; } = expected;
    [Id(3)] public int Current { get; } = current;
}

/// <summary>
/// A keyed request's idempotency key was applied by a concurrent attempt of the same request; its result is about to be
/// stored, so the caller retries in a moment and gets it.
/// </summary>
[GenerateSerializer, Alias("summit.request-already-applied")]
public sealed class RequestAlreadyAppliedException(EntityKind kind, string id)
    : Exception($"Another attempt of this request already changed {kind} '{id}'; retry to get its result.")
{
    [Id(0)] public EntityKind Kind { get; } = kind;
    [Id(1)] public string Id { get; } = id;
}

/// <summary>
/// The database (or another piece of infrastructure a grain depends on) could not be reached or failed transiently.
/// Infrastructure exceptions such as Npgsql's have no Orleans codec, so the silo turns them into this one at the grain
/// boundary; the Gateway answers it with 503 and <c>Retry-After</c>. Nothing was changed unless the caller is told otherwise.
/// </summary>
[GenerateSerializer, Alias("summit.storage-unavailable")]
public sealed class StorageUnavailableException(string message) : Exception(message)
{
    /// <summary>What failed underneath (exception type and message), for logs; never shown to API clients.</summary>
    [Id(0)] public string? Cause { get; init; }
}

/// <summary>
/// The store refused a change because another writer changed the entity (or its summit) at the same moment: two
/// activations for a moment after a silo failure, or one that had not yet seen a change. Nothing was written and the
/// grain has reloaded what is stored; the client may simply send the same request again. Not a stale If-Match (that is
/// <see cref="VersionConflictException"/>, 412): the client's version may well still be the current one.
/// </summary>
[GenerateSerializer, Alias("summit.concurrent-change")]
public sealed class ConcurrentChangeException(EntityKind kind, string id)
    : Exception($"{kind} '{id}' was changed by someone else at the same moment; nothing was written, try again.")
{
    [Id(0)] public EntityKind Kind { get; } = kind;
    [Id(1)] public string Id { get; } = id;
}
