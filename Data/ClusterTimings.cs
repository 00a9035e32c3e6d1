namespace Summit.Data;

/// <summary>
/// Failure detection, timeouts and shutdown, tuned so that faults get a bounded answer (README: Configuration has the
/// table). Orleans' defaults are made for large clusters on flaky networks: a dead silo is declared after about 30 s to
/// minutes, a call waits 30 s for its answer, a client learns of a restarted silo after a minute, and a graceful stop may
/// take 30 s or more. Summit runs a handful of silos on one LAN, so it can afford to be quick:
/// <list type="bullet">
/// <item>a silo killed with <c>kill -9</c> is declared dead and its grains activate elsewhere within about 10 s;</item>
/// <item>no grain call waits more than <see cref="ResponseTimeout"/> (10 s), so no HTTP request waits more than about 15 s;</item>
/// <item>a client-mode Gateway picks up a restarted silo's gateway within <see cref="GatewayListRefresh"/> (5 s);</item>
/// <item>a silo stops on SIGTERM within <see cref="ShutdownTimeout"/> (10 s).</item>
/// </list>
/// </summary>
public static class ClusterTimings
{
    /// <summary>
    /// Longest wait for any grain call's answer, on silos and clients (Orleans: 30 s). A caller learns of a dead silo by
    /// membership first (about 10 s), so this mostly bounds calls stuck behind a slow database; the database's own command
    /// timeout (Npgsql: 30 s) is longer, so the call gives up first and the Gateway answers 503.
    /// </summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// First timeout of a liveness probe (Orleans: 5 s, adapted per silo between half and four times this). Probes on a LAN
    /// answer in milliseconds; 2 s leaves room for a GC pause without declaring a healthy silo dead.
    /// </summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound of the adapted probe timeout (Orleans: four times <see cref="ProbeTimeout"/>), so detection stays bounded.</summary>
    public static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Missed probes before a silo suspects another (Orleans: 3). Kept at 3: with 2-3 s per probe a dead silo is suspected
    /// after 6-9 s, and one lost packet never is enough.
    /// </summary>
    public const int MissedProbesLimit = 3;

    /// <summary>
    /// Suspicions needed to declare a silo dead (Orleans: 2). Orleans never asks for more votes than half the live silos, so
    /// with the documented two silos the survivor's own vote is enough; with three or more, two silos must agree.
    /// </summary>
    public const int VotesForDeathDeclaration = 2;

    /// <summary>
    /// How long a suspicion counts (Orleans: 2 min). Long enough for a second silo's vote to join the first (one detection
    /// period), short enough that an old suspicion from a past hiccup does not combine with a new one.
    /// </summary>
    public static readonly TimeSpan DeathVoteExpiration = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often a silo writes its heartbeat to the membership table (Orleans: 30 s). Silos that stopped writing are
    /// ignored as voters and their entries treated as stale after twice this, so a dead silo cannot block a decision long.
    /// One small UPDATE per silo every 5 s.
    /// </summary>
    public static readonly TimeSpan IAmAliveTablePublish = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often silos re-read the membership table (Orleans: 1 min). Gossip tells live silos of changes at once; this
    /// bounds how long a silo that missed the gossip (say, a restarted one) runs with an old view.
    /// </summary>
    public static readonly TimeSpan TableRefresh = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a client-mode Gateway re-reads the list of silo gateways (Orleans: 1 min), so it connects to a restarted
    /// silo within 5 s and stops sending to a dead one. One small SELECT per Gateway every 5 s.
    /// </summary>
    public static readonly TimeSpan GatewayListRefresh = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The whole graceful stop on SIGTERM (.NET: 30 s). Orleans deactivates grains (writing no state: Summit writes on
    /// every change), hands its directory partition over and leaves the membership table within this; past it the host
    /// stops hard, which the others treat like a crash (detected within about 10 s).
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Per-grain deactivation limit during shutdown and collection (Orleans: 30 s); grains only stop timers.</summary>
    public static readonly TimeSpan DeactivationTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopping silo waits after telling its connected clients it is going; they switch gateways at once.</summary>
    public static readonly TimeSpan ClientGatewayShutdownNotification = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often Orleans' operations dashboard samples the runtime's counters (its default: every second). Some of those
    /// counters walk every activation or the whole directory cache, so at one second a summit of 10,000 activated tasks
    /// spent a noticeable share of the process's CPU on a page nobody was looking at.
    /// </summary>
    public static readonly TimeSpan OrleansDashboardSampling = TimeSpan.FromSeconds(10);
}
