using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Summit.Gateway.Security;

namespace Summit.Gateway.Live;

/// <summary>
/// This Gateway's open hub connections by account, so a signed-in session that stops being valid also loses its live
/// view: a disable or password reset made here closes the account's connections at once (through
/// <see cref="AccountSessionValidator.Changed"/>), and every <see cref="RecheckPeriod"/> each connection's account is
/// checked again, which catches changes made through another Gateway within the session cache lifetime.
/// </summary>
public sealed class LiveSessions : BackgroundService
{
    /// <summary>How often open connections are checked again; with the cache lifetime, the bound for other Gateways' changes.</summary>
    public static readonly TimeSpan RecheckPeriod = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byAccount = new(StringComparer.Ordinal);
    private readonly AccountSessionValidator _sessions;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveSessions> _logger;

    public LiveSessions(AccountSessionValidator sessions, TimeProvider time, ILogger<LiveSessions> logger)
    {
        _sessions = sessions;
        _time = time;
        _logger = logger;
        sessions.Changed += Close;
    }

    public void Add(HubCallerContext context)
    {
        if (context.User?.Identity?.Name is not { } account) return;
        _byAccount.GetOrAdd(account, _ => new(StringComparer.Ordinal))[context.ConnectionId] = context;
    }

    public void Remove(HubCallerContext context)
    {
        if (context.User?.Identity?.Name is { } account && _byAccount.TryGetValue(account, out var connections))
            connections.TryRemove(context.ConnectionId, out _);
    }

    /// <summary>Open connections of an account on this Gateway.</summary>
    public int CountOf(string account) => _byAccount.TryGetValue(account, out var connections) ? connections.Count : 0;

    /// <summary>Closes every open connection of the account; its clients must sign in again.</summary>
    public void Close(string account)
    {
        if (!_byAccount.TryRemove(account, out var connections)) return;
        foreach (var context in connections.Values) context.Abort();
        if (!connections.IsEmpty)
            _logger.LogInformation("Closed {Count} live connection(s) of {Account}: its session is no longer valid.", connections.Count, account);
    }

    public override void Dispose()
    {
        _sessions.Changed -= Close;
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RecheckPeriod, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (account, connections) in _byAccount)
            {
                foreach (var context in connections.Values)
                {
                    try
                    {
                        if (context.User is { } user && !await _sessions.IsCurrentAsync(user, stoppingToken))
                        {
                            connections.TryRemove(context.ConnectionId, out _);
                            context.Abort();
                            _logger.LogInformation("Closed a live connection of {Account}: its session is no longer valid.", account);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The database is away and the account unknown here: keep the connection, check again next time.
                        _logger.LogDebug(e, "Could not check the session of {Account}'s live connection.", account);
                    }
                }
            }
        }
    }
}
