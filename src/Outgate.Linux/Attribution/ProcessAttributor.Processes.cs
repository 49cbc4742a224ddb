using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Outgate.Linux.ProcConnector;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Attribution;

/// <summary>The process side: records captured at exec/fork, kept after exit, read lazily otherwise.</summary>
public sealed partial class ProcessAttributor
{
    private readonly ConcurrentDictionary<int, ProcessRecord> _records = new();
    private readonly ConcurrentQueue<(int Pid, ProcessRecord Record, long ExitedAt)> _exited = new();
    private readonly HashSet<int> _forkCopies = [];
    private readonly Lock _forkCopiesLock = new();
    private readonly ConcurrentDictionary<int, long> _exitTimes = new();
    private ConcurrentDictionary<uint, string>? _users, _groups;

    /// <summary>
    /// Feeds one proc connector event (call from the connector's receive loop). Exec captures the
    /// process's record while /proc still has it; fork gives the child its parent's record until
    /// its own exec (a forked worker runs the parent's program); both make the pid a first
    /// candidate on the next cache miss. Exit starts the retention clock.
    /// </summary>
    public void Observe(in ProcEvent procEvent)
    {
        var now = Stopwatch.GetTimestamp();
        switch (procEvent.Type)
        {
            case ProcEventType.Exec:
                var pid = procEvent.ProcessTgid;
                _recent.Add(pid);
                if (Capture(pid, atExec: true) is { } record) _records[pid] = record;
                ForgetForkCopy(pid);
                break;
            case ProcEventType.Fork when procEvent.ChildPid == procEvent.ChildTgid: // a process, not a thread
                var child = procEvent.ChildTgid;
                _recent.Add(child);
                if (_records.TryGetValue(procEvent.ParentTgid, out var parent))
                {
                    _records[child] = parent with { Pid = child, ParentPid = parent.Pid, ParentExecutablePath = parent.ExecutablePath };
                    lock (_forkCopiesLock) _forkCopies.Add(child);
                }
                break;
            case ProcEventType.Exit when procEvent.ProcessId == procEvent.ProcessTgid:
                _exitTimes[procEvent.ProcessTgid] = now;
                if (_records.TryGetValue(procEvent.ProcessTgid, out var exited))
                    _exited.Enqueue((procEvent.ProcessTgid, exited, now));
                break;
        }
        PruneExited(now);
    }

    /// <summary>
    /// The record kept for <paramref name="pid"/> (captured at exec, copied at fork, or read at
    /// first sight), also for a process that exited within the retention; no /proc read.
    /// </summary>
    public bool TryGetProcess(int pid, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ProcessRecord record) =>
        _records.TryGetValue(pid, out record);

    /// <summary>The record of a live or recently exited process, reading /proc when we have none (or only a fork copy).</summary>
    private ProcessRecord? RecordOf(int pid)
    {
        bool forkCopy;
        lock (_forkCopiesLock) forkCopy = _forkCopies.Contains(pid);
        if (!forkCopy && _records.TryGetValue(pid, out var known)) return known;
        // A fork copy may be stale (the child exec'd and we have not seen the event yet): read once.
        if (Capture(pid, atExec: false) is { } fresh)
        {
            _records[pid] = fresh;
            ForgetForkCopy(pid);
            return fresh;
        }
        return _records.TryGetValue(pid, out var last) ? last : null;
    }

    /// <summary>
    /// The sender of a packet whose socket is already closed: among the processes just exec'd or
    /// forked, the only one with <paramref name="uid"/> that is exiting (its /proc/PID/exe is gone:
    /// exit_mm runs before exit_files closes the socket) or exited within the window. Null when
    /// none or several qualify: a guess between two processes would be worse than none.
    /// </summary>
    private ProcessRecord? GuessRecentExit(uint uid)
    {
        if (_options.RecentExitWindow == TimeSpan.Zero) return null;
        Span<int> recent = stackalloc int[MaxRecentOnStack];
        var count = _recent.CopyNewestFirst(recent);
        var now = Stopwatch.GetTimestamp();
        ProcessRecord? candidate = null;
        foreach (var pid in recent[..count])
        {
            if (!_records.TryGetValue(pid, out var record) || record.Uid != uid || candidate?.Pid == pid) continue;
            if (_exitTimes.TryGetValue(pid, out var exitedAt) && Stopwatch.GetElapsedTime(exitedAt, now) > _options.RecentExitWindow) continue;
            if (ProcFsFile.TryReadLink($"{_options.ProcRoot}/{pid.ToString(CultureInfo.InvariantCulture)}/exe", out _, out _)) continue; // still running
            if (candidate is not null) return null;
            candidate = record;
        }
        return candidate;
    }

    private void ForgetForkCopy(int pid)
    {
        lock (_forkCopiesLock) _forkCopies.Remove(pid);
    }

    private ProcessRecord? Capture(int pid, bool atExec)
    {
        var observedAt = Stopwatch.GetTimestamp();
        if (!_reader.TryReadFresh(pid, out var info)) return null;
        string? parentExe = null;
        if (info.ParentPid > 0)
        {
            if (_records.TryGetValue(info.ParentPid, out var parent)) parentExe = parent.ExecutablePath;
            else if (_reader.TryReadFresh(info.ParentPid, out var parentInfo)) parentExe = parentInfo.ExecutablePath;
        }
        return new ProcessRecord
        {
            Pid = pid,
            ParentPid = info.ParentPid,
            ExecutablePath = info.ExecutablePath,
            Sha256 = _options.HashExecutables ? _hasher.TryHashProcessExecutable(pid, _options.ProcRoot) : null,
            CommandLine = info.CommandLine,
            ParentExecutablePath = parentExe,
            Uid = info.Uid,
            UserName = info.UserName,
            CgroupPath = info.CgroupPath,
            SystemdUnit = info.SystemdUnit,
            ContainerId = info.Container?.Id,
            ContainerName = info.Container?.Name,
            StartTimeTicks = info.StartTimeTicks,
            CapturedAtExec = atExec,
            ObservedAt = observedAt,
        };
    }

    private void PruneExited(long now)
    {
        while (_exited.TryPeek(out var head) && Stopwatch.GetElapsedTime(head.ExitedAt, now) >= _options.ExitedProcessRetention)
        {
            if (!_exited.TryDequeue(out head)) break;
            // Only if the pid still maps to the exited process: a reused pid has a newer record.
            _records.TryRemove(new KeyValuePair<int, ProcessRecord>(head.Pid, head.Record));
            _exitTimes.TryRemove(new KeyValuePair<int, long>(head.Pid, head.ExitedAt));
            ForgetForkCopy(head.Pid);
        }
    }

    private string UserNameOf(uint uid) => NameOf(ref _users, _options.PasswdPath, uid);

    private string GroupNameOf(uint gid) => NameOf(ref _groups, _options.GroupPath, gid);

    /// <summary>uid/gid → name from passwd/group (same first three fields), loaded once; unknown ids as their number.</summary>
    private static string NameOf(ref ConcurrentDictionary<uint, string>? names, string path, uint id)
    {
        var map = Volatile.Read(ref names);
        if (map is null)
        {
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { text = ""; }
            map = new ConcurrentDictionary<uint, string>(PasswdFileParser.Parse(text));
            map = Interlocked.CompareExchange(ref names, map, null) ?? map;
        }
        return map.TryGetValue(id, out var name) ? name : map.GetOrAdd(id, static i => i.ToString(CultureInfo.InvariantCulture));
    }
}
