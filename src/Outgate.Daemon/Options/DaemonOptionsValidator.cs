using System.Text;

namespace Outgate.Daemon.Options;

/// <summary>
/// Checks <see cref="DaemonOptions"/> before anything starts and reports every problem at once,
/// each naming the option and the bad value.
/// </summary>
public static class DaemonOptionsValidator
{
    /// <summary>sun_path is 108 bytes including the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    public static IReadOnlyList<string> Validate(DaemonOptions options, Func<string, bool>? namespaceExists = null)
    {
        namespaceExists ??= path => File.Exists(path);
        var errors = new List<string>();

        CheckPath(errors, "--socket", options.SocketPath);
        if (options.SocketPath is { Length: > 0 } sock && Encoding.UTF8.GetByteCount(sock) > MaxSocketPathBytes)
            errors.Add($"--socket '{DaemonCommandLine.Escape(sock)}' is {Encoding.UTF8.GetByteCount(sock)} bytes long: unix socket paths are limited to {MaxSocketPathBytes}; pick a shorter path");
        if (options.SocketPath is { Length: > 0 } s2 && s2.EndsWith('/'))
            errors.Add($"--socket '{DaemonCommandLine.Escape(s2)}' names a directory: give the socket file, e.g. {DaemonOptions.DefaultSocketPath}");
        CheckPath(errors, "--config-dir", options.ConfigDirectory);
        CheckPath(errors, "--state-dir", options.StateDirectory);

        if (options.NetworkNamespace is { } ns)
        {
            if (ns.Length == 0 || (!ns.StartsWith('/') && (ns.Contains('/') || ns is "." or "..")))
                errors.Add($"--netns '{DaemonCommandLine.Escape(ns)}' is not a namespace name: give a name from `ip netns list` or an absolute path like /proc/PID/ns/net");
            else
            {
                var path = ns.StartsWith('/') ? ns : Path.Combine("/run/netns", ns);
                if (!namespaceExists(path))
                    errors.Add($"--netns '{DaemonCommandLine.Escape(ns)}': {path} does not exist; create it with `ip netns add {DaemonCommandLine.Escape(ns)}` or check `ip netns list`");
            }
        }

        if (!Enum.IsDefined(options.Mode))
            errors.Add($"unknown mode {(int)options.Mode}: use one of {DaemonModes.Names}");
        if (string.IsNullOrWhiteSpace(options.AccessGroup) || options.AccessGroup.Contains(':') || options.AccessGroup.Contains('\n'))
            errors.Add($"--access-group '{DaemonCommandLine.Escape(options.AccessGroup ?? "")}' is not a group name");

        if (options.Dns && options.EffectiveDnsQueue >= options.FirstQueue && options.EffectiveDnsQueue < options.FirstQueue + options.QueueCount)
            errors.Add($"--dns-queue {options.EffectiveDnsQueue} is one of the connection queues {options.FirstQueue}-{options.FirstQueue + options.QueueCount - 1}: pick another number");

        var ev = options.Events;
        if (ev.ChannelCapacity is < 16 or > 16_777_216)
            errors.Add($"--event-queue {ev.ChannelCapacity} is out of range: use 16 to 16777216 events");
        if (ev.BatchSize is < 1 or > 100_000)
            errors.Add($"event batch size {ev.BatchSize} is out of range: use 1 to 100000 rows");
        if (ev.MaxRows < 0)
            errors.Add($"--max-events {ev.MaxRows} is negative: use 0 for no limit");
        if (ev.MaxAge < TimeSpan.Zero)
            errors.Add($"--max-event-age {ev.MaxAge} is negative: use 0 for no limit");
        if (ev.PruneInterval < TimeSpan.FromMilliseconds(100) || ev.PruneInterval > TimeSpan.FromDays(1))
            errors.Add($"--prune-interval {ev.PruneInterval} is out of range: use 100ms to 1d");
        return errors;
    }

    private static void CheckPath(List<string> errors, string option, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            errors.Add($"{option} is empty: give an absolute path");
        else if (!path.StartsWith('/'))
            errors.Add($"{option} '{DaemonCommandLine.Escape(path)}' is relative: give an absolute path (the daemon's working directory is /)");
        else if (path.Contains('\0'))
            errors.Add($"{option} '{DaemonCommandLine.Escape(path)}' contains a NUL character");
    }
}
