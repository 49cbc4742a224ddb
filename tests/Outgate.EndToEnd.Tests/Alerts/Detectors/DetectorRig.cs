using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using Outgate.Daemon.Alerts;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Alerts.Detectors;

/// <summary>
/// What a detector needs without a daemon: a fake clock, a live policy holding a policy built in code (the <c>[alerts]</c>
/// TOML parser is another helper's work, so the snapshot is put in place directly), an event sink and the raiser.
/// </summary>
internal sealed class DetectorRig
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-26T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public DetectorRig(FirewallPolicy? policy = null, string? configDir = null)
    {
        Options = new DaemonOptions { ConfigDirectory = configDir ?? Path.GetTempPath(), StateDirectory = Path.GetTempPath() };
        Policy = new LivePolicy(Options, Time);
        if (policy is not null) Use(policy);
        Sink = new EventSink(Options, new EventCounters());
        Alerts = new AlertRaiser(Sink, Policy, Time);
    }

    public FakeTimeProvider Time { get; } = new(T0);
    public DaemonOptions Options { get; }
    public LivePolicy Policy { get; }
    public EventSink Sink { get; }
    public AlertRaiser Alerts { get; }

    /// <summary>Puts <paramref name="policy"/> in force as the next generation.</summary>
    public void Use(FirewallPolicy policy)
    {
        var field = typeof(LivePolicy).GetField("_current", BindingFlags.NonPublic | BindingFlags.Instance)!;
        var lists = Policy.Current.Lists;
        field.SetValue(Policy, new PolicySnapshot(policy, Policy.Current.Generation + 1, Time.GetUtcNow(), null, lists));
    }

    public long Raised(string detector) => Alerts.Counts.TryGetValue(detector, out var c) ? c.Raised : 0;

    public static FirewallPolicy WithAlerts(AlertSettings alerts, params string[][] rules) => FirewallPolicy.Default with
    {
        Alerts = alerts,
        Rules = rules.Select(r => UfwGrammar.ParseRule(r) is { Value: { } rule } ? rule : throw new ArgumentException("bad rule: " + string.Join(' ', r))).ToList(),
    };
}
