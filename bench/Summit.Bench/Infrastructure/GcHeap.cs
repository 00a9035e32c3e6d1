using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Summit.Bench.Infrastructure;

/// <summary>The managed heap of another .NET process right after a full blocking collection, in bytes.</summary>
/// <param name="Total">Generations 0–2, the large and the pinned object heap, as the GC's own statistics give them.</param>
public sealed record GcHeapSize(long Total, long Gen0, long Gen1, long Gen2, long LargeObjects, long PinnedObjects);

/// <summary>
/// Reads a process's GC heap over its diagnostics port: an EventPipe session with the runtime's GCHeapCollect keyword
/// makes the process run one induced, blocking full collection (as <c>dotnet-gcdump</c> does), whose GCHeapStats event
/// gives the size of each generation once garbage is gone.
/// </summary>
public static class GcHeap
{
    public static async Task<GcHeapSize?> CollectAsync(int pid, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = await client.StartEventPipeSessionAsync(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords)], requestRundown: false, token: default);
        var result = new TaskCompletionSource<GcHeapSize?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var induced = false;
        using var source = new EventPipeEventSource(session.EventStream);
        source.Clr.GCStart += e =>
        {
            if (e.Reason == GCReason.Induced && e.Depth == 2) induced = true;
        };
        source.Clr.GCHeapStats += e =>
        {
            if (!induced) return;
            result.TrySetResult(new GcHeapSize(e.TotalHeapSize, e.GenerationSize0, e.GenerationSize1, e.GenerationSize2, e.GenerationSize3, e.GenerationSize4));
        };
        var processing = Task.Run(() =>
        {
            try
            {
                source.Process();
            }
            catch (Exception)
            {
                // The stream ends with the session.
            }
            result.TrySetResult(null);
        });
        var completed = await Task.WhenAny(result.Task, Task.Delay(timeout));
        try
        {
            await session.StopAsync(default);
        }
        catch (Exception)
        {
            // Already stopped.
        }
        await Task.WhenAny(processing, Task.Delay(TimeSpan.FromSeconds(5)));
        return completed == result.Task ? await result.Task : null;
    }
}
