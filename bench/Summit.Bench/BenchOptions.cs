using System.Globalization;

namespace Summit.Bench;

/// <summary>Command line: <c>--scenario steady|peak|snapshot|tasks-page|search|critical-path|exports|all</c> and overrides; see bench/PERFORMANCE.md.</summary>
public sealed class BenchOptions
{
    public static readonly string[] Scenarios = ["steady", "steady-unbatched", "peak", "snapshot", "tasks-page", "search", "critical-path", "growth"];

    /// <summary>Long or heavy runs that <c>--scenario all</c> leaves out; each is asked for by name.</summary>
    public static readonly string[] SeparateScenarios = ["dashboards", "activation", "soak", "uploads", "exports"];

    public List<string> Selected { get; } = [];
    public string? Postgres { get; private set; }
    public bool FastPostgres { get; private set; }
    public string? GatewayDll { get; private set; }
    public double? Rate { get; private set; }
    public int? DurationSeconds { get; private set; }
    public int? WarmupSeconds { get; private set; }
    public int? Dashboards { get; private set; }
    public int? Tasks { get; private set; }
    public int CriticalPathTasks { get; private set; } = 10_000;
    public int? BatchMilliseconds { get; private set; }
    public string? ResultsDirectory { get; private set; }
    public bool Floors { get; private set; } = true;
    public bool Help { get; private set; }
    public double? QuietLoad { get; private set; }
    public int QuietWaitMinutes { get; private set; } = 20;

    public int History { get; private set; } = 10_000;
    public int ClientProcesses { get; private set; } = 4;
    public int Uploads { get; private set; } = 500;
    public int UploadMiB { get; private set; } = 5;
    public int UploadSeconds { get; private set; } = 60;

    public const string Usage = """
        Summit benchmark: update→push latency, dashboard snapshot and critical-path timings on this machine.

        dotnet run -c Release --project bench/Summit.Bench -- [options]

          --scenario NAME     steady | steady-unbatched | peak | snapshot | tasks-page | search | critical-path | growth | all (default all; may be repeated),
                              or one of dashboards | activation | soak | uploads, which all leaves out
                                steady         50 updates/s for 30 s, 50 dashboards (the Gateway's coalescing as configured)
                                steady-unbatched  the same with Summit:Live:BatchMilliseconds=0 (every change pushed at once)
                                peak           1,000 updates/s for 60 s, 200 dashboards
                                snapshot       GET /api/summits/{summit}/dashboard of a 100,000-task summit
                                tasks-page     GET /api/summits/{summit}/tasks pages with filters of a 100,000-task summit
                                search         GET /api/summits/{summit}/search and tasks?q= of a 100,000-task summit
                                critical-path  CriticalPath of a 10,000-task summit, from scratch and after one change
                                growth         update cost of a task with 10,000 earlier changes vs none, and in a 1,000- vs --tasks-task summit
                                dashboards     1,000 dashboards in --client-processes processes of their own at 50 updates/s, then
                                               the same with one more client that subscribes and stops reading; Gateway memory idle and loaded
                                activation     memory per activated task: the Gateway's RSS and GC heap before and after reading every task of a --tasks summit once
                                soak           100 updates/s for 30 min with 50 dashboards: RSS, p99 and PostgreSQL CPU per minute, least-squares slopes, p99 spikes
                                uploads        500 units each upload a 5 MiB JPEG to POST /api/summits/{summit}/files within a minute, open loop:
                                               throughput, p99 from the planned start, Gateway RSS and GC heap, CPU, database growth; PostgreSQL and HTTP floors
          --pg CONN           use this PostgreSQL (a user that may create databases) instead of a private cluster
          --fast-pg           private cluster with fsync and synchronous_commit off (default: durable commits)
          --gateway PATH      Summit.Standalone.dll to run (default: the build beside this one, same configuration)
          --rate N            updates per second (steady/peak)
          --duration S        measured seconds (steady/peak)
          --warmup S          seconds at the same rate before measuring (default 5)
          --dashboards N      SignalR dashboard clients (steady/peak)
          --tasks N           tasks seeded for the snapshot, tasks-page and search scenarios (default 100000; steady/peak use the demo's 400)
          --cp-tasks N        tasks of the critical-path scenario (default 10000)
          --history N         earlier changes of the growth scenario's old task (default 10000)
          --batch-ms N        the Gateway's Summit:Live:BatchMilliseconds (default: the Gateway's own, 100)
          --no-floors         skip the Npgsql and SignalR floors
          --quiet-load X      before each scenario wait until the 1-minute load average is at most X …
          --quiet-wait MIN    … for at most MIN minutes (default 20), then run anyway; the load is recorded either way
          --client-processes N  processes the dashboards scenario spreads its clients over (default 4)
          --uploads N         uploads of the uploads scenario (default 500)
          --upload-mib N      size of the uploaded JPEG in MiB (default 5)
          --upload-seconds S  the window the uploads are spread over, evenly (default 60)
          --results DIR       where the JSON goes (default bench/results)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            int Int() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (arg)
            {
                case "--scenario":
                    var name = Next();
                    if (name == "all") o.Selected.AddRange(Scenarios);
                    else if (Scenarios.Contains(name) || SeparateScenarios.Contains(name)) o.Selected.Add(name);
                    else throw new ArgumentException($"Unknown scenario '{name}'; one of {string.Join(", ", Scenarios.Concat(SeparateScenarios))}, all.");
                    break;
                case "--pg": o.Postgres = Next(); break;
                case "--fast-pg": o.FastPostgres = true; break;
                case "--gateway": o.GatewayDll = Next(); break;
                case "--rate": o.Rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--duration": o.DurationSeconds = Int(); break;
                case "--warmup": o.WarmupSeconds = Int(); break;
                case "--dashboards": o.Dashboards = Int(); break;
                case "--tasks": o.Tasks = Int(); break;
                case "--cp-tasks": o.CriticalPathTasks = Int(); break;
                case "--history": o.History = Int(); break;
                case "--batch-ms": o.BatchMilliseconds = Int(); break;
                case "--no-floors": o.Floors = false; break;
                case "--quiet-load": o.QuietLoad = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--quiet-wait": o.QuietWaitMinutes = Int(); break;
                case "--client-processes": o.ClientProcesses = Int(); break;
                case "--uploads": o.Uploads = Int(); break;
                case "--upload-mib": o.UploadMiB = Int(); break;
                case "--upload-seconds": o.UploadSeconds = Int(); break;
                case "--results": o.ResultsDirectory = Next(); break;
                case "-h" or "--help": o.Help = true; break;
                default: throw new ArgumentException($"Unknown option '{arg}'.");
            }
        }
        if (o.Selected.Count == 0) o.Selected.AddRange(Scenarios);
        var distinct = o.Selected.Distinct().ToList();
        o.Selected.Clear();
        o.Selected.AddRange(distinct);
        if (o.Rate is <= 0 or > 20_000) throw new ArgumentException("--rate must be between 0 and 20000.");
        if (o.DurationSeconds is <= 0 or > 3600) throw new ArgumentException("--duration must be between 1 and 3600 s.");
        if (o.WarmupSeconds is < 0 or > 600) throw new ArgumentException("--warmup must be between 0 and 600 s.");
        if (o.Dashboards is < 1 or > 2000) throw new ArgumentException("--dashboards must be between 1 and 2000.");
        if (o.Tasks is < 0 or > 1_000_000) throw new ArgumentException("--tasks must be between 0 and 1000000.");
        if (o.ClientProcesses is < 1 or > 64) throw new ArgumentException("--client-processes must be between 1 and 64.");
        if (o.QuietWaitMinutes is < 0 or > 240) throw new ArgumentException("--quiet-wait must be between 0 and 240 minutes.");
        if (o.CriticalPathTasks is < 1 or > 1_000_000) throw new ArgumentException("--cp-tasks must be between 1 and 1000000.");
        if (o.Uploads is < 1 or > 10_000) throw new ArgumentException("--uploads must be between 1 and 10000.");
        if (o.UploadMiB is < 1 or > 15) throw new ArgumentException("--upload-mib must be between 1 and 15 (the Gateway takes files up to 20 MiB; the test photo is 12 megapixels).");
        if (o.UploadSeconds is < 1 or > 3600) throw new ArgumentException("--upload-seconds must be between 1 and 3600.");
        return o;
    }
}
