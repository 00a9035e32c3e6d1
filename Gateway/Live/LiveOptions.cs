using System.ComponentModel.DataAnnotations;
using Summit.Settings;

namespace Summit.Gateway.Live;

/// <summary>Section <c>Summit:Live</c>, Gateway side: the progress hub.</summary>
public sealed class LiveOptions : IValidatableObject
{
    public const string Section = "Summit:Live";

    /// <summary>
    /// Coalescing in a burst: a change that finds the channel quiet (see <see cref="QuietMilliseconds"/>) goes out at
    /// once; in a burst, changes wait at most this long after the previous batch and go out together. 0 sends every
    /// change as it comes.
    /// </summary>
    [NotNegative]
    public int BatchMilliseconds { get; set; } = 100;

    /// <summary>
    /// The channel is quiet when no batch of the summit is still on its way to a connection and the previous one went out
    /// at least this long ago; a change then goes out at once. At 50 changes/s (one every 20 ms) every change goes out
    /// at once; closer together, or while screens are still taking earlier batches, they are coalesced.
    /// </summary>
    [NotNegative]
    public int QuietMilliseconds { get; set; } = 10;

    /// <summary>
    /// Browser origins allowed to open the hub (e.g. <c>https://summit.example.org</c>). Empty: the request's own host
    /// (compared by host and port, so TLS ending at a proxy still matches) and <c>http://localhost:5080</c>.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How often this Gateway re-registers its observer with each summit's feed (the silo expires it after 60 s).</summary>
    [Positive]
    public int ObserverRefreshSeconds { get; set; } = 10;

    /// <summary>
    /// Batches queued per connection. A connection whose queue is full is behind: its queued batches are dropped and it
    /// is told to resync, so it never holds up the others. 100 is about 10 s of batches at the default interval.
    /// </summary>
    [AtLeast(1)]
    public int OutboxCapacity { get; set; } = 100;

    /// <summary>A connection on which no send completes for this long is disconnected; 0 never disconnects.</summary>
    [NotNegative]
    public int StalledClientSeconds { get; set; } = 30;

    /// <summary>
    /// How often the server pings an idle connection. The dashboard treats the server as gone after 60 s without a
    /// message, so keep this well under that.
    /// </summary>
    [Positive]
    public int KeepAliveSeconds { get; set; } = 10;

    /// <summary>A connection the server has heard nothing from for this long is closed (the dashboard pings every 10 s).</summary>
    [Positive]
    public int ClientTimeoutSeconds { get; set; } = 60;

    public const string DefaultDevelopmentOrigin = "http://localhost:5080";

    /// <summary>The configured origins, one an entry (an entry may also list several, split by commas, semicolons or spaces).</summary>
    public IEnumerable<string> Origins() => AllowedOrigins
        .SelectMany(o => o.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Origins()
            .Where(origin => !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            .Select(origin => new ValidationResult($"must hold absolute http or https origins such as https://summit.example.org (got '{origin}')",
                [nameof(AllowedOrigins)]));
}
