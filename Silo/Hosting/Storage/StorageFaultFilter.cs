using Microsoft.Extensions.Logging;
using Summit.Data.Storage;

namespace Summit.Hosting.Storage;

/// <summary>
/// On every silo: turns database failures thrown inside a grain call into <see cref="StorageUnavailableException"/> (or,
/// for a non-transient database error, a plain <see cref="InvalidOperationException"/>), so the caller gets an answer it
/// can deserialize instead of a <c>CodecNotFoundException</c>, and the Gateway can answer 503 rather than 500.
/// </summary>
public sealed class StorageFaultFilter(ILogger<StorageFaultFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (StorageFaults.Translate(e) is { } translated)
        {
            logger.LogWarning(e, "{Grain}.{Method} failed on the database; answering {Exception}.",
                context.TargetId, context.MethodName, translated.GetType().Name);
            throw translated;
        }
    }
}
