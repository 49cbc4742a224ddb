using System.Globalization;
using Outgate.Daemon.Events;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// dns-tunnel: signs that DNS carries data. Per name: a label longer than <c>max_label_length</c>, or a label of 20+
/// characters with more than <c>max_entropy</c> bits per character. Per registrable domain within <c>window</c>: at least
/// <c>unique_subdomains</c> distinct names (a burst of made-up subdomains), or at least <c>txt_queries</c> TXT/NULL
/// queries (a flood of the record types tunnels use for the downstream). Fed with the question of each new udp/53 flow
/// from the queue (with the program) and of each answer the DNS tracker reads (without), so one lookup seen both ways
/// counts once. Memory is bounded: at most <see cref="MaxDomains"/> domains, each with at most unique_subdomains names.
/// </summary>
public sealed class DnsTunnelDetector(AlertRaiser alerts, LivePolicy policy, TimeProvider time)
{
    public const string Id = "dns-tunnel";

    /// <summary>Registrable domains tracked at once; past it, expired windows go, then everything.</summary>
    public const int MaxDomains = 4096;

    /// <summary>Labels shorter than this are never judged by entropy (short random strings score high by chance).</summary>
    public const int EntropyMinLength = 20;

    private const int MaxRecentIds = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DomainWindow> _domains = new(StringComparer.Ordinal);
    private readonly HashSet<(ushort, string)> _recent = [];

    /// <summary>A query the queue saw: <paramref name="process"/> sent it.</summary>
    public void Observe(in DnsQuestion question, ProcessFacts? process, in ConnectionFacts connection)
    {
        var settings = policy.Current.Policy.Alerts.DnsTunnel;
        if (!settings.Enabled || question.Name.Length == 0) return;
        var now = time.GetUtcNow();
        var registrable = DnsLabels.RegistrableDomain(question.Name);
        CheckLabels(question, registrable, settings, process, connection);
        CheckVolume(question, registrable, settings, now, process, connection);
    }

    /// <summary>The question of an answer the DNS tracker read (no program known).</summary>
    public void ObserveAnswer(string name, ushort type, ushort id) =>
        Observe(new DnsQuestion(name.TrimEnd('.').ToLowerInvariant(), type, id), null, default);

    private void CheckLabels(in DnsQuestion question, string registrable, DnsTunnelSettings settings, ProcessFacts? process, in ConnectionFacts connection)
    {
        var labels = DnsLabels.SubdomainPart(question.Name, registrable);
        foreach (var range in labels.Split('.'))
        {
            var label = labels[range];
            if (label.Length > settings.MaxLabelLength)
            {
                Raise(registrable + "|long", $"a DNS query for {question.Name} has a {label.Length}-character label (more than {settings.MaxLabelLength}): data may be smuggled in DNS names",
                    $"reason=long-label; name={AlertEvent.Value(question.Name)}; label_length={label.Length}; max={settings.MaxLabelLength}; domain={registrable}", process, connection);
                return;
            }
            if (label.Length >= EntropyMinLength && DnsLabels.Entropy(label) is var entropy && entropy > settings.MaxEntropy)
            {
                Raise(registrable + "|entropy", $"a DNS query for {question.Name} has a random-looking label ({entropy:0.00} bits/char, more than {settings.MaxEntropy:0.##}): data may be encoded in DNS names",
                    $"reason=high-entropy; name={AlertEvent.Value(question.Name)}; entropy={entropy.ToString("0.00", CultureInfo.InvariantCulture)}; max={settings.MaxEntropy.ToString(CultureInfo.InvariantCulture)}; domain={registrable}", process, connection);
                return;
            }
        }
    }

    private void CheckVolume(in DnsQuestion question, string registrable, DnsTunnelSettings settings, DateTimeOffset now, ProcessFacts? process, in ConnectionFacts connection)
    {
        string? alert = null, details = null, key = null;
        lock (_lock)
        {
            // The same lookup reaches us as the query and again as its answer: count it once.
            if (_recent.Count >= MaxRecentIds) _recent.Clear();
            if (!_recent.Add((question.Id, question.Name))) return;

            if (!_domains.TryGetValue(registrable, out var window))
            {
                if (_domains.Count >= MaxDomains) Trim(now, settings.Window);
                window = new DomainWindow(now);
                _domains[registrable] = window;
            }
            else if (now - window.Start > settings.Window)
            {
                window.Reset(now);
            }
            if (!window.BurstRaised && window.Names.Count < settings.UniqueSubdomains && window.Names.Add(question.Name) && window.Names.Count >= settings.UniqueSubdomains)
            {
                window.BurstRaised = true;
                key = registrable + "|burst";
                alert = $"{window.Names.Count} different names under {registrable} were looked up within {Seconds(now - window.Start)}: a burst of made-up subdomains is how DNS tunnels send data";
                details = $"reason=subdomain-burst; domain={registrable}; names={window.Names.Count}; window={Seconds(settings.Window)}; last={AlertEvent.Value(question.Name)}";
            }
            if (question.IsTxtOrNull && !window.TxtRaised && ++window.TxtCount >= settings.TxtQueries)
            {
                window.TxtRaised = true;
                key ??= registrable + "|txt";
                alert ??= $"{window.TxtCount} TXT/NULL queries under {registrable} within {Seconds(now - window.Start)}: tunnels use these record types to carry data back";
                details ??= $"reason=txt-flood; domain={registrable}; queries={window.TxtCount}; window={Seconds(settings.Window)}; last={AlertEvent.Value(question.Name)}";
            }
        }
        if (alert is not null) Raise(key!, alert, details!, process, connection);
    }

    private void Trim(DateTimeOffset now, TimeSpan window)
    {
        foreach (var (name, w) in _domains)
            if (now - w.Start > window) _domains.Remove(name);
        if (_domains.Count >= MaxDomains) _domains.Clear();
    }

    private void Raise(string key, string message, string details, ProcessFacts? process, in ConnectionFacts connection) =>
        alerts.Raise(Id, key, AlertEvent.For(EventSeverity.Warning, message, details, process, connection));

    private static string Seconds(TimeSpan t) => $"{Math.Max(0, (int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}s";

    private sealed class DomainWindow(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; private set; } = start;
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
        public int TxtCount { get; set; }
        public bool BurstRaised { get; set; }
        public bool TxtRaised { get; set; }

        public void Reset(DateTimeOffset now)
        {
            Start = now;
            Names.Clear();
            TxtCount = 0;
            BurstRaised = false;
            TxtRaised = false;
        }
    }
}
