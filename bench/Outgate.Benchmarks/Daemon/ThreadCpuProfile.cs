using System.Globalization;

namespace Outgate.Benchmarks.Daemon;

/// <summary>
/// CPU time of every thread of a process, grouped by thread name, read from
/// /proc/PID/task/TID/stat (utime + stime, clock ticks). Two snapshots around a load give where
/// the daemon's CPU went per connection without a profiler attached: queue threads (nfqueue-N),
/// the conntrack listener, the SQLite writer (a pool thread, ".NET TP Worker"), the GC and so on.
/// </summary>
internal sealed class ThreadCpuProfile
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<int, (string Name, long Ticks)> _threads;

    private ThreadCpuProfile(Dictionary<int, (string, long)> threads) => _threads = threads;

    public static ThreadCpuProfile Take(int pid)
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')], CpuTicks(stat));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { } // thread exited
        }
        return new ThreadCpuProfile(threads);
    }

    /// <summary>
    /// CPU time of the whole process so far (utime + stime of /proc/PID/stat, which keeps the time of threads that
    /// already exited), in microseconds; null once the process is gone.
    /// </summary>
    public static double? ProcessMicros(int pid)
    {
        try
        {
            return CpuTicks(File.ReadAllText($"/proc/{pid}/stat")) * 1e6 / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>utime + stime, in clock ticks, of a /proc/PID/stat or /proc/PID/task/TID/stat line.</summary>
    private static long CpuTicks(string stat)
    {
        // "tid (comm) state ppid ..." — comm may hold spaces and parentheses: cut at the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>Markdown table: CPU µs per connection by thread name between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static IEnumerable<string> Table(ThreadCpuProfile before, ThreadCpuProfile after, int connections)
    {
        var byName = new Dictionary<string, (double Ticks, int Count)>();
        foreach (var (tid, (name, ticks)) in after._threads)
        {
            var delta = ticks - (before._threads.TryGetValue(tid, out var b) ? b.Ticks : 0);
            if (delta <= 0) continue;
            var key = Normalize(name);
            byName[key] = byName.TryGetValue(key, out var v) ? (v.Ticks + delta, v.Count + 1) : (delta, 1);
        }
        var total = byName.Values.Sum(v => v.Ticks);
        yield return $"| daemon thread (by name) | threads | CPU ms | µs per connection | share |";
        yield return "|---|---:|---:|---:|---:|";
        foreach (var (name, (ticks, count)) in byName.OrderByDescending(kv => kv.Value.Ticks))
            yield return $"| {name} | {count} | {ticks * 1000 / TicksPerSecond:0} | {ticks * 1e6 / TicksPerSecond / Math.Max(1, connections):0.0} | {ticks / total:P0} |";
        yield return $"| total | | {total * 1000 / TicksPerSecond:0} | {total * 1e6 / TicksPerSecond / Math.Max(1, connections):0.0} | |";
    }

    /// <summary>"nfqueue-0" and "nfqueue-1" stay apart; numbered pool threads do not.</summary>
    private static string Normalize(string name) => name.StartsWith(".NET TP Worker", StringComparison.Ordinal) ? ".NET TP Worker" : name;
}
