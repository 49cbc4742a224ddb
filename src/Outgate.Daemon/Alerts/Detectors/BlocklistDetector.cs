using System.Net;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// blocklist: a connection to an address on an IP list, or to an address whose DNS names (<see cref="Dns.NameBook"/>)
/// are on a domain list, or a DNS query for such a name, with the lists of <c>[alerts.blocklist] lists</c>. The files are
/// read exactly like <c>to list</c> files (same formats, same <see cref="Outgate.Policy.Domains.DomainListCache"/>: loaded
/// once, re-read when they change); relative paths are taken from the config directory.
/// </summary>
public sealed class BlocklistDetector(AlertRaiser alerts, LivePolicy policy, DaemonOptions options)
{
    public const string Id = "blocklist";

    private (BlocklistSettings Settings, string[] Paths)? _resolved;

    /// <summary>A new connection to <paramref name="destination"/> (known by <paramref name="names"/>).</summary>
    public void Check(IPAddress destination, IReadOnlyList<string>? names, ProcessFacts process, in ConnectionFacts connection)
    {
        var snapshot = policy.Current;
        if (Paths(snapshot) is not { Length: > 0 } paths) return;
        foreach (var path in paths)
        {
            var list = snapshot.Lists.Get(path);
            if (list.ContainsAddress(destination))
            {
                Raise($"{process.ExecutablePath} connects to {destination}, which is on the blocklist {path}", $"list={path}; address={destination}",
                    $"{process.ExecutablePath}|{destination}", process, connection);
                return;
            }
            if (names is null) continue;
            foreach (var name in names)
            {
                if (!list.ContainsName(name)) continue;
                Raise($"{process.ExecutablePath} connects to {destination} ({name}), which is on the blocklist {path}", $"list={path}; name={AlertEvent.Value(name)}; address={destination}",
                    $"{process.ExecutablePath}|{name}", process, connection);
                return;
            }
        }
    }

    /// <summary>A DNS query for <paramref name="name"/> (from the queue, with the program, or from an answer, without).</summary>
    public void CheckQuery(string name, ProcessFacts? process, in ConnectionFacts connection)
    {
        var snapshot = policy.Current;
        if (name.Length == 0 || Paths(snapshot) is not { Length: > 0 } paths) return;
        foreach (var path in paths)
        {
            if (!snapshot.Lists.Get(path).ContainsName(name)) continue;
            Raise($"{process?.ExecutablePath ?? "a program"} looked up {name}, which is on the blocklist {path}", $"list={path}; name={AlertEvent.Value(name)}; query=true",
                $"query|{name}", process, connection with { Domain = name });
            return;
        }
    }

    /// <summary>The settings' list paths made absolute, computed once per settings object (a reload brings a new one).</summary>
    private string[]? Paths(PolicySnapshot snapshot)
    {
        var settings = snapshot.Policy.Alerts.Blocklist;
        if (!settings.Enabled || settings.Lists.Count == 0) return null;
        if (_resolved is { } r && ReferenceEquals(r.Settings, settings)) return r.Paths;
        var paths = settings.Lists.Select(p => Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(options.ConfigDirectory, p))).ToArray();
        _resolved = (settings, paths);
        return paths;
    }

    private void Raise(string message, string details, string key, ProcessFacts? process, in ConnectionFacts connection) =>
        alerts.Raise(Id, key, AlertEvent.For(EventSeverity.Error, message, details, process, connection));
}
