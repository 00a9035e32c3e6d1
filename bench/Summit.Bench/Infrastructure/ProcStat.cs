using System.Globalization;

namespace Summit.Bench.Infrastructure;

/// <summary>CPU time and memory of a process from Linux's /proc.</summary>
public static class ProcStat
{
    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux build.
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU time of the process (not of its children); null when it is gone.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        var fields = StatFields(pid);
        if (fields is null) return null;
        // After "pid (comm)": state is field 3; utime and stime are fields 14 and 15.
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }

    /// <summary>
    /// CPU time of the children of a process that have exited and been waited for (cutime + cstime): added to the live
    /// children's own, it keeps a server's total from falling when one of its worker processes ends.
    /// </summary>
    public static TimeSpan? ReapedChildrenCpuTime(int pid)
    {
        var fields = StatFields(pid);
        if (fields is null) return null;
        var cutime = long.Parse(fields[13], CultureInfo.InvariantCulture);
        var cstime = long.Parse(fields[14], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((cutime + cstime) / TicksPerSecond);
    }

    /// <summary>Direct children of a process.</summary>
    public static IEnumerable<int> Children(int pid)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var candidate)) continue;
            var fields = StatFields(candidate);
            if (fields is not null && int.TryParse(fields[1], out var parent) && parent == pid) yield return candidate;
        }
    }

    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public static long? PeakRss(int pid) => StatusValue(pid, "VmHWM:");

    /// <summary>Current resident set size (VmRSS) in bytes.</summary>
    public static long? Rss(int pid) => StatusValue(pid, "VmRSS:");

    /// <summary>Resets VmHWM to the current RSS (clear_refs 5), so a later peak covers only what follows. False if not allowed.</summary>
    public static bool ResetPeakRss(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// CPU time all cores have spent busy since boot (user, nice, system, irq, softirq and steal from /proc/stat): its
    /// growth over an interval, divided by the interval, is how many cores the whole machine kept busy.
    /// </summary>
    public static TimeSpan MachineBusy()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal …
            long ticks = 0;
            foreach (var i in new[] { 1, 2, 3, 6, 7, 8 }) ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>The 1-, 5- and 15-minute load averages.</summary>
    public static double[] LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    // Fields after the command name, which may contain spaces and parentheses: [0] = state, [1] = ppid, ...
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return text[(close + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? StatusValue(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                var kb = line[key.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
