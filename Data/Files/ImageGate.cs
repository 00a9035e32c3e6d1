using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Summit.Data.Files;

/// <summary>The image work behind <see cref="ImageGate"/>: <see cref="ImageProcessor.Process"/>, or a stand-in that watches it.</summary>
public interface IImageProcessor
{
    (ProcessedImage? Image, ImageProblem Problem) Process(string source, string destination, int thumbnailSize, long maxPixels);
}

/// <summary>Decodes with SkiaSharp (<see cref="ImageProcessor"/>).</summary>
public sealed class SkiaImageProcessor : IImageProcessor
{
    public (ProcessedImage? Image, ImageProblem Problem) Process(string source, string destination, int thumbnailSize, long maxPixels) =>
        ImageProcessor.Process(source, destination, thumbnailSize, maxPixels);
}

/// <summary>Why the gate turned an image away.</summary>
public enum ImageGateRefusal
{
    None,
    /// <summary>Every place was taken and <see cref="FileStoreOptions.ImageQueue"/> images were already waiting.</summary>
    QueueFull,
    /// <summary>It waited <see cref="FileStoreOptions.ImageWaitTimeout"/> without getting a place.</summary>
    TimedOut,
}

/// <summary>What came through the gate: the work's value, or why it was not done and when to try again.</summary>
public readonly record struct GateResult<T>(T? Value, ImageGateRefusal Refusal, int RetryAfterSeconds)
{
    public bool Done => Refusal == ImageGateRefusal.None;
}

/// <summary>
/// Lets at most <see cref="FileStoreOptions.ImageConcurrency"/> images be decoded and written out again at once. Decoding
/// a photo takes a core for most of a second and its pixels in native memory (46 MiB for 12 megapixels), so without a
/// bound every admitted upload decodes at the same time: memory grows with the load, the thread pool stalls and every
/// upload gets slower. The rest wait their turn, oldest first and without holding a thread; a waiter whose request is
/// aborted leaves the queue (<see cref="OperationCanceledException"/>) and is never decoded. Past
/// <see cref="FileStoreOptions.ImageQueue"/> waiters, or after <see cref="FileStoreOptions.ImageWaitTimeout"/>, an image is
/// refused with an estimate of when to come back, so the client hears 503 rather than waiting without end. The work
/// runs on a thread of its own, not the thread pool's, so requests and the silo's own work keep their threads.
/// </summary>
public sealed class ImageGate : IDisposable
{
    private readonly SemaphoreSlim _places;
    private readonly IImageProcessor _processor;
    private readonly FileStoreOptions _options;
    private int _running;
    private int _waiting;
    // How long one image's work takes, averaged (exponentially) over the recent ones; a second until one is measured.
    private long _averageTicks = TimeSpan.TicksPerSecond;

    public ImageGate(IOptions<FileStoreOptions> options, IImageProcessor processor)
    {
        _options = options.Value;
        _processor = processor;
        _places = new SemaphoreSlim(_options.ImageConcurrency, _options.ImageConcurrency);
    }

    /// <summary>Places for images being processed.</summary>
    public int Concurrency => _options.ImageConcurrency;

    /// <summary>Images being processed now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Images waiting for a place now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Processes an image (<see cref="IImageProcessor.Process"/>) when a place is free.</summary>
    public Task<GateResult<(ProcessedImage? Image, ImageProblem Problem)>> ProcessAsync(string source, string destination, CancellationToken cancellationToken) =>
        RunAsync(() => _processor.Process(source, destination, _options.ThumbnailSize, _options.MaxImagePixels), cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> when a place is free, or refuses it. Throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled before the work starts; the work itself is not interrupted.
    /// </summary>
    public async Task<GateResult<T>> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        // A free place is taken at once; waiters get theirs in turn from Release, so this never jumps the queue.
        if (!_places.Wait(0))
        {
            if (Interlocked.Increment(ref _waiting) > _options.ImageQueue)
            {
                Interlocked.Decrement(ref _waiting);
                return Refused<T>(ImageGateRefusal.QueueFull);
            }
            bool entered;
            try
            {
                entered = await _places.WaitAsync(_options.ImageWaitTimeout, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
            if (!entered) return Refused<T>(ImageGateRefusal.TimedOut);
        }
        try
        {
            // Its turn came as the request was aborted: not worth a decode.
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _running);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var value = await Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                return new GateResult<T>(value, ImageGateRefusal.None, 0);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
                var took = Stopwatch.GetElapsedTime(started).Ticks;
                var average = Interlocked.Read(ref _averageTicks);
                Interlocked.CompareExchange(ref _averageTicks, average + (took - average) / 8, average);
            }
        }
        finally
        {
            _places.Release();
        }
    }

    /// <summary>
    /// Seconds until the images ahead of a new one would be done: those waiting and running, at the recent time per image,
    /// over the places; at least 1, at most 60.
    /// </summary>
    public int RetryAfterSeconds()
    {
        var ahead = Math.Max(1, Waiting + Running);
        var seconds = ahead * (double)Interlocked.Read(ref _averageTicks) / TimeSpan.TicksPerSecond / Concurrency;
        return (int)Math.Clamp(Math.Ceiling(seconds), 1, 60);
    }

    private GateResult<T> Refused<T>(ImageGateRefusal why) => new(default, why, RetryAfterSeconds());

    public void Dispose() => _places.Dispose();
}
