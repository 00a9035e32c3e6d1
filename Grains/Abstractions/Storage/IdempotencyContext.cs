namespace Summit.Storage;

/// <summary>
/// Carries a keyed request's <see cref="IdempotencyMark"/> from the Gateway to the entity grain that commits the change.
/// The Gateway puts it in the Orleans <see cref="RequestContext"/>; on the silo an incoming call filter takes it out
/// before the grain runs, so it never travels further (a grain that changes other grains does not hand them the key),
/// and hands it to the receiving grain alone through <see cref="Current"/>.
/// </summary>
public static class IdempotencyContext
{
    private const string RequestContextKey = "summit.idempotency";

    private static readonly AsyncLocal<IdempotencyMark?> Received = new();

    /// <summary>Gateway side: the next grain calls of this request carry <paramref name="mark"/>.</summary>
    public static void Send(IdempotencyMark mark) => RequestContext.Set(RequestContextKey, mark);

    /// <summary>
    /// Gateway side: the mark this request's grain calls carry, for a write the Gateway commits through a store of its own
    /// rather than through a grain (a task's comment, the plan baseline).
    /// </summary>
    public static IdempotencyMark? Outgoing => RequestContext.Get(RequestContextKey) as IdempotencyMark;

    /// <summary>Gateway side: the request's later grain calls no longer carry a mark.</summary>
    public static void Clear() => RequestContext.Remove(RequestContextKey);

    /// <summary>Silo side (the call filter): removes the mark from the request context and returns it.</summary>
    public static IdempotencyMark? TakeIncoming()
    {
        if (RequestContext.Get(RequestContextKey) is not IdempotencyMark mark) return null;
        RequestContext.Remove(RequestContextKey);
        return mark;
    }

    /// <summary>The mark of the call the current grain turn is serving, if the call filter handed it over.</summary>
    public static IdempotencyMark? Current
    {
        get => Received.Value;
        set => Received.Value = value;
    }
}
