using Outgate.Daemon.Events;
using Outgate.Daemon.Options;

namespace Outgate.EndToEnd.Tests.Simulation;

/// <summary>
/// A small, known history written into a real events.db: curl to example.com:443 (5×) and to 10.9.9.9:80 (2×),
/// ntpd in ntp.service to 10.1.1.1:123/udp (3×), a refused wget (1×), an alert for an uploader to 10.6.6.6:4444 (not nc: relay tools are refused by the connect-back guard, see ConnectionDecider), a mode change.
/// </summary>
internal static class RecordedTraffic
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    public static EventStore Seed(string stateDirectory)
    {
        var store = new EventStore(new DaemonOptions { StateDirectory = stateDirectory });
        store.Initialize();
        var events = new List<DaemonEvent>();
        for (var i = 0; i < 5; i++) events.Add(Decision("/usr/bin/curl", "93.184.216.34", 443, "tcp", "allow", i, domain: "example.com"));
        for (var i = 0; i < 2; i++) events.Add(Decision("/usr/bin/curl", "10.9.9.9", 80, "tcp", "allow", 10 + i));
        for (var i = 0; i < 3; i++) events.Add(Decision("/usr/sbin/ntpd", "10.1.1.1", 123, "udp", "allow", 20 + i, unit: "ntp.service", uid: 0, user: "root"));
        events.Add(Decision("/usr/bin/wget", "10.7.7.7", 443, "tcp", "reject", 30));
        events.Add(Decision("/opt/tools/uploader", "10.6.6.6", 4444, "tcp", "allow", 40) with { Type = EventType.Alert, Severity = EventSeverity.Warning, Message = "connect-back shell" });
        events.Add(new DaemonEvent { Time = Start.AddMinutes(50), Type = EventType.ModeChange, Message = "mode enforce" });
        using var inserter = store.CreateInserter();
        inserter.Write(events);
        return store;
    }

    private static DaemonEvent Decision(string exe, string dst, int port, string proto, string verdict, int minute,
        string? domain = null, string? unit = null, uint uid = 1000, string user = "alice") => new()
    {
        Time = Start.AddMinutes(minute),
        Type = EventType.Decision,
        Pid = 4000 + minute,
        Exe = exe,
        Uid = uid,
        User = user,
        Unit = unit,
        Proto = proto,
        Src = "10.0.0.1",
        SrcPort = 40000 + minute,
        Dst = dst,
        DstPort = port,
        Domain = domain,
        Verdict = verdict,
        Rule = "learn",
    };

    /// <summary>Refuses curl's plain http (10.9.9.9:80) and allows the uploader's port; rule 4 is for a program never seen.</summary>
    public const string BreakingCandidate = """
        [defaults]
        outgoing = "deny"

        [[rule]]
        action = "allow"
        direction = "out"
        app = "/usr/bin/curl"
        proto = "tcp"
        to_port = 443

        [[rule]]
        action = "allow"
        direction = "out"
        app = "/usr/sbin/ntpd"
        proto = "udp"
        to_port = 123

        [[rule]]
        action = "allow"
        direction = "out"
        proto = "tcp"
        to_port = 4444

        [[rule]]
        action = "allow"
        direction = "out"
        app = "/usr/bin/never-runs"
        proto = "tcp"
        to_port = 22
        """;

    /// <summary>Allows everything seen: the default stays allow; one rule for a program never seen.</summary>
    public const string PermissiveCandidate = """
        [defaults]
        outgoing = "allow"

        [[rule]]
        action = "allow"
        direction = "out"
        app = "/usr/bin/never-runs"
        proto = "tcp"
        to_port = 22
        """;

    /// <summary>Line 5 has a misspelt action.</summary>
    public const string BadCandidate = """
        [defaults]
        outgoing = "deny"

        [[rule]]
        action = "alow"
        direction = "out"
        proto = "tcp"
        """;
}
