using Microsoft.Extensions.Options;
using Summit.Data.Files;

namespace Summit.Tests.Files;

/// <summary>
/// <see cref="ImageGate"/>: at most its number of images are worked on at once, the rest wait in turn without a thread,
/// a waiter whose request is aborted leaves the queue and is never worked on, and past the queue or the wait an image is
/// refused with a time to come back. The work here is a probe that counts how many run at once and holds each until let
/// go, so every check waits for a state, never for a time.
/// </summary>
public sealed class ImageGateTests
{
    private static ImageGate Gate(int concurrency, int queue = 100, TimeSpan? wait = null) => new(Options.Create(new FileStoreOptions
    {
        ImageConcurrency = concurrency,
        ImageQueue = queue,
        ImageWaitTimeout = wait ?? TimeSpan.FromMinutes(10),
    }), new SkiaImageProcessor());

    /// <summary>Work that records how many run at once and blocks until <see cref="Open"/>.</summary>
    private sealed class Probe
    {
        private readonly Lock _lock = new();
        private readonly ManualResetEventSlim _open = new(false);
        private int _running;

        public int Started { get; private set; }

        public int MostAtOnce { get; private set; }

        public bool OnThreadPool { get; private set; }

        public void Open() => _open.Set();

        public int Work()
        {
            lock (_lock)
            {
                Started++;
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
                OnThreadPool |= Thread.CurrentThread.IsThreadPoolThread;
            }
            try
            {
                if (!_open.Wait(TimeSpan.FromMinutes(1))) throw new TimeoutException("The probe was never let go.");
                return 1;
            }
            finally
            {
                lock (_lock) _running--;
            }
        }
    }

    /// <summary>Waits for a state the gate reaches on its own; fails only if it never does.</summary>
    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Never reached: {what}.");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task No_more_than_its_places_run_at_once_and_the_rest_wait_without_a_thread()
    {
        using var gate = Gate(concurrency: 3);
        var probe = new Probe();
        var runs = Enumerable.Range(0, 12).Select(_ => gate.RunAsync(probe.Work, CancellationToken.None)).ToArray();
        await Until(() => gate.Running == 3 && gate.Waiting == 9, "3 running and 9 waiting");
        Assert.Equal(3, probe.Started);
        Assert.Equal(3, probe.MostAtOnce);

        probe.Open();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.Done && r.Value == 1));
        Assert.Equal(12, probe.Started);
        // Measured by the work itself while every place was let go at once: never more than three.
        Assert.Equal(3, probe.MostAtOnce);
        Assert.False(probe.OnThreadPool, "the work ran on a thread-pool thread");
        Assert.Equal((0, 0), (gate.Running, gate.Waiting));
    }

    [Fact]
    public async Task A_waiter_whose_request_is_aborted_leaves_the_queue_and_is_never_run()
    {
        using var gate = Gate(concurrency: 1);
        var probe = new Probe();
        var first = gate.RunAsync(probe.Work, CancellationToken.None);
        await Until(() => probe.Started == 1, "the first one running");
        using var aborted = new CancellationTokenSource();
        var ranAborted = false;
        var queued = gate.RunAsync(() => ranAborted = true, aborted.Token);
        await Until(() => gate.Waiting == 1, "one waiting");

        await aborted.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(0, gate.Waiting);

        var next = gate.RunAsync(probe.Work, CancellationToken.None);
        await Until(() => gate.Waiting == 1, "the next one waiting");
        probe.Open();
        Assert.True((await first).Done);
        Assert.True((await next).Done);
        Assert.False(ranAborted, "the aborted waiter was run");
        Assert.Equal(2, probe.Started);
        Assert.Equal(1, probe.MostAtOnce);

        // Aborted before it even asked: not run, not counted.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.RunAsync(() => ranAborted = true, aborted.Token));
        Assert.False(ranAborted);
        Assert.Equal((0, 0), (gate.Running, gate.Waiting));
    }

    [Fact]
    public async Task Past_the_queue_an_image_is_refused_at_once_with_a_time_to_come_back()
    {
        using var gate = Gate(concurrency: 1, queue: 2);
        var probe = new Probe();
        var held = new[] { gate.RunAsync(probe.Work, CancellationToken.None), gate.RunAsync(probe.Work, CancellationToken.None), gate.RunAsync(probe.Work, CancellationToken.None) };
        await Until(() => gate.Running == 1 && gate.Waiting == 2, "one running and two waiting");

        var refused = await gate.RunAsync(probe.Work, CancellationToken.None);
        Assert.False(refused.Done);
        Assert.Equal(ImageGateRefusal.QueueFull, refused.Refusal);
        Assert.InRange(refused.RetryAfterSeconds, 1, 60);
        Assert.Equal(1, probe.Started);

        probe.Open();
        Assert.All(await Task.WhenAll(held), r => Assert.True(r.Done));
        Assert.Equal(3, probe.Started);
    }

    [Fact]
    public async Task Without_a_queue_an_image_is_refused_while_every_place_is_taken()
    {
        using var gate = Gate(concurrency: 1, queue: 0);
        var probe = new Probe();
        var first = gate.RunAsync(probe.Work, CancellationToken.None);
        await Until(() => gate.Running == 1, "one running");
        Assert.Equal(ImageGateRefusal.QueueFull, (await gate.RunAsync(probe.Work, CancellationToken.None)).Refusal);
        probe.Open();
        Assert.True((await first).Done);
        Assert.True((await gate.RunAsync(probe.Work, CancellationToken.None)).Done);
    }

    [Fact]
    public async Task An_image_that_waits_past_the_timeout_is_refused_and_leaves_the_queue()
    {
        using var gate = Gate(concurrency: 1, wait: TimeSpan.FromMilliseconds(50));
        var probe = new Probe();
        var first = gate.RunAsync(probe.Work, CancellationToken.None);
        await Until(() => probe.Started == 1, "the first one running");
        // The only place is held until the probe is let go, so this wait can only end by the timeout.
        var late = await gate.RunAsync(probe.Work, CancellationToken.None);
        Assert.Equal(ImageGateRefusal.TimedOut, late.Refusal);
        Assert.InRange(late.RetryAfterSeconds, 1, 60);
        Assert.Equal(0, gate.Waiting);
        Assert.Equal(1, probe.Started);
        probe.Open();
        Assert.True((await first).Done);
    }

    [Fact]
    public async Task A_failing_image_gives_its_place_back()
    {
        using var gate = Gate(concurrency: 1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.RunAsync<int>(() => throw new InvalidOperationException("broken"), CancellationToken.None));
        Assert.Equal((0, 0), (gate.Running, gate.Waiting));
        Assert.Equal(7, (await gate.RunAsync(() => 7, CancellationToken.None)).Value);
    }
}
