using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using NodaTime.Text;
using Summit.Time;

namespace Summit.Data.Time;

public static class ClockRegistration
{
    public const string StartKey = "Summit:Clock:Start";
    public const string ZoneKey = "Summit:Clock:Zone";
    public const string DefaultStart = "2020-06-10T09:00:00";
    public const string DefaultZone = "Asia/Shanghai";

    /// <summary>The system clock as a <see cref="WallClock"/>, for what is composed by hand rather than by the container.</summary>
    public static WallClock SystemWallClock { get; } = new(SystemClock.Instance);

    /// <summary>
    /// Registers the one <see cref="IClock"/> everything reads: in demo mode (or when a start is configured)
    /// a <see cref="DemoClock"/>, otherwise the system clock. Also registers the <see cref="WallClock"/>.
    /// </summary>
    public static IServiceCollection AddSummitClock(this IServiceCollection services, IConfiguration configuration, bool demo)
    {
        var start = configuration[StartKey];
        IClock clock = demo || start is not null
            ? new DemoClock(ParseStart(start ?? DefaultStart, configuration[ZoneKey] ?? DefaultZone), SystemClock.Instance)
            : SystemClock.Instance;
        services.TryAddSingleton(clock);
        return services.AddWallClock();
    }

    /// <summary>Registers the <see cref="WallClock"/> (real time whatever the summit clock is), unless one is registered.</summary>
    public static IServiceCollection AddWallClock(this IServiceCollection services)
    {
        services.TryAddSingleton(SystemWallClock);
        return services;
    }

    /// <summary>Accepts an instant with an offset (<c>2020-06-10T09:00:00+08:00</c>) or a local date-time read in <paramref name="zoneId"/>.</summary>
    public static Instant ParseStart(string value, string zoneId)
    {
        var withOffset = OffsetDateTimePattern.ExtendedIso.Parse(value);
        if (withOffset.Success) return withOffset.Value.ToInstant();

        var local = LocalDateTimePattern.ExtendedIso.Parse(value);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
            ?? throw new InvalidOperationException($"{ZoneKey} '{zoneId}' is not a known time zone.");
        if (!local.Success)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{StartKey} '{value}' is neither an ISO date-time with offset nor a local ISO date-time."));
        return local.Value.InZoneLeniently(zone).ToInstant();
    }
}
