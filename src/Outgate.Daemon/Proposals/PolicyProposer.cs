using System.Globalization;
using System.Net;
using Outgate.Daemon.Events;
using Outgate.Policy;

namespace Outgate.Daemon.Proposals;

/// <summary>
/// Recorded decisions → a minimal allow-list (<c>outgate policy propose</c>). Pure apart from the optional hashing of
/// executables. One rule per program, purpose, destination and protocol, ports merged:
/// <list type="bullet">
/// <item>subject: the systemd unit when the program ran in a system service (not <c>user@…</c>, not a scope), else the
/// container, else the executable path (optionally hash-pinned); plus the user when the program always ran as one
/// non-root system user (uid 1-999 or 65534, e.g. <c>_apt</c>).</item>
/// <item>destination: the DNS name when the event carries one (≥ 3 siblings → <c>*.parent</c>, <see cref="DomainCollapse"/>),
/// else the address (≥ 4 in a /24 → the /24, <see cref="AddressCollapse"/>).</item>
/// <item>purpose: port 53 is <c>dns</c>, udp 123 is <c>ntp</c>, each in its own rule; everything else is <c>traffic</c>.</item>
/// <item>a destination seen over both tcp and udp with the same ports gets one rule without a protocol.</item>
/// </list>
/// Never allowed, listed for review instead: connections tagged <c>no-dns</c>, <c>dot</c> or <c>doh</c>, connections near an
/// alert about the same program and destination, connections that were refused when recorded, unattributed connections and
/// protocols other than tcp and udp. Loopback needs no rule (always allowed) and is only counted.
/// </summary>
public static class PolicyProposer
{
    public const string Dns = "dns";
    public const string Ntp = "ntp";
    public const string Traffic = "traffic";

    public static Proposal Propose(IEnumerable<DaemonEvent> decisions, IEnumerable<DaemonEvent> alerts, ProposalSettings settings)
    {
        var index = new AlertIndex(alerts, settings.AlertWindow);
        var observed = new Dictionary<ObservationKey, Tally>();
        var users = new Dictionary<AppKey, UserTally>();
        var programs = new Dictionary<AppKey, HashSet<string>>();
        var review = new Dictionary<ReviewKey, Tally>();
        long connections = 0, proposed = 0, reviewed = 0, loopback = 0;

        foreach (var e in decisions)
        {
            if (e.Type != EventType.Decision || e.Verdict == "prompt") continue; // a prompt is followed by the decision that answered it
            if (e.Dst is null || !IPAddress.TryParse(e.Dst, out var dst)) continue;
            connections++;
            if (IPAddress.IsLoopback(dst)) { loopback++; continue; }

            var program = e.Unit ?? e.Container ?? e.Exe ?? "unknown program";
            if (ReviewReason(e, dst, index, settings) is { } reason)
            {
                reviewed++;
                Count(review, new ReviewKey(program, e.Dst, e.Domain, e.DstPort, e.Proto, reason), e.Time, e.DstPort);
                continue;
            }

            var app = AppOf(e)!.Value;
            proposed++;
            var port = e.DstPort!.Value;
            var purpose = port == 53 ? Dns : port == 123 && e.Proto == "udp" ? Ntp : Traffic;
            var target = e.Domain is { } name && DomainPattern.TryParse(name, out var pattern, out _) && !pattern.IsWildcard
                ? new Target(true, pattern.Domain)
                : new Target(false, dst.ToString());
            Count(observed, new ObservationKey(app, purpose, target, e.Proto!), e.Time, port);
            if (!users.TryGetValue(app, out var user)) users[app] = user = new UserTally();
            user.Add(e.Uid, e.User);
            if (e.Exe is { } exe && app.Kind != SubjectKind.App)
            {
                if (!programs.TryGetValue(app, out var set)) programs[app] = set = new HashSet<string>(StringComparer.Ordinal);
                if (set.Count < 8) set.Add(exe);
            }
        }

        var notes = new List<string>();
        var rules = BuildRules(observed, users, programs, settings, notes, review);
        var items = review
            .Select(kv => new ReviewItem(kv.Key.Program, kv.Key.Destination, kv.Key.Domain, kv.Key.Port, kv.Key.Proto, kv.Key.Reason, kv.Value.Count, kv.Value.First, kv.Value.Last))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Program, StringComparer.Ordinal).ThenBy(r => r.Destination, StringComparer.Ordinal)
            .ToList();
        var omitted = Math.Max(0, items.Count - settings.MaxReview);
        return new Proposal(rules, items.Take(settings.MaxReview).ToList(), connections, proposed, reviewed, loopback, omitted, notes);
    }

    /// <summary>Why a connection must not be proposed as allowed, or null when it may be.</summary>
    private static string? ReviewReason(DaemonEvent e, IPAddress dst, AlertIndex alerts, ProposalSettings settings)
    {
        if (e.Tags is { } tags)
        {
            if (HasTag(tags, "no-dns")) return "tagged no-dns: a direct connection to an address no DNS lookup returned; allow it by hand only if you know who owns the address";
            if (HasTag(tags, "dot")) return "tagged dot: DNS over TLS to a resolver Outgate does not watch, which bypasses domain rules";
            if (HasTag(tags, "doh")) return "tagged doh: DNS over HTTPS to a public resolver, which bypasses domain rules";
        }

        if (alerts.Find(e.Exe, e.Dst!, e.Time) is { } alert)
        {
            var what = alert.Message ?? alert.Rule ?? "alert";
            if (what.Length > 160) what = what[..160] + "…";
            return $"alert within {settings.AlertWindow.TotalMinutes:0} min about this program and destination: {what}";
        }

        if (e.Verdict is not "allow")
            return $"refused when recorded ({e.Verdict ?? "no verdict"}{(e.Rule is null ? "" : " by " + e.Rule)}): a proposal only allows what was allowed; add a rule by hand if it is wanted";
        if (e.Proto is not ("tcp" or "udp") || e.DstPort is not (>= 1 and <= 65535))
            return $"protocol {e.Proto ?? "unknown"}{(e.DstPort is null ? " without a port" : "")}: proposals cover tcp and udp with ports only";
        if (AppOf(e) is null)
            return "no program known (unattributed): a rule needs an executable, a unit or a container";
        _ = dst;
        return null;
    }

    private static bool HasTag(string tags, string tag)
    {
        foreach (var range in tags.AsSpan().Split(','))
        {
            if (tags.AsSpan()[range].Trim().SequenceEqual(tag)) return true;
        }

        return false;
    }

    /// <summary>The most stable name of the program: system unit, container, executable.</summary>
    private static AppKey? AppOf(DaemonEvent e)
    {
        if (e.Unit is { } unit && IsSystemService(unit)) return new AppKey(SubjectKind.Unit, unit);
        if (e.Container is { Length: > 0 } container) return new AppKey(SubjectKind.Container, container);
        if (e.Exe is { Length: > 0 } exe && exe.StartsWith('/')) return new AppKey(SubjectKind.App, exe);
        return null;
    }

    /// <summary>
    /// A service of the system manager: named <c>*.service</c> and not a user's manager (<c>user@1000.service</c>) or its
    /// helpers, whose processes are whatever the user starts. Scopes (sessions, containers, apps) are never stable.
    /// </summary>
    public static bool IsSystemService(string unit)
        => unit.EndsWith(".service", StringComparison.Ordinal) && !unit.StartsWith("user@", StringComparison.Ordinal)
            && !unit.StartsWith("user-runtime-dir@", StringComparison.Ordinal);

    private static List<ProposedRule> BuildRules(Dictionary<ObservationKey, Tally> observed, Dictionary<AppKey, UserTally> users,
        Dictionary<AppKey, HashSet<string>> programs, ProposalSettings settings, List<string> notes, Dictionary<ReviewKey, Tally> review)
    {
        // 1. Widen destinations per (program, purpose, protocol) and add up what each final destination covers.
        var drafts = new Dictionary<DraftKey, Draft>();
        foreach (var group in observed.GroupBy(kv => (kv.Key.App, kv.Key.Purpose, kv.Key.Proto)))
        {
            var domains = DomainCollapse.Collapse(group.Where(kv => kv.Key.Target.IsDomain).Select(kv => kv.Key.Target.Text));
            var addresses = AddressCollapse.Collapse(group.Where(kv => !kv.Key.Target.IsDomain).Select(kv => IPAddress.Parse(kv.Key.Target.Text)));
            foreach (var (key, tally) in group)
            {
                var destination = key.Target.IsDomain
                    ? Destination.Of(domains[key.Target.Text])
                    : Destination.Of(addresses[IPAddress.Parse(key.Target.Text)]);
                var draftKey = new DraftKey(key.App, key.Purpose, destination.Text, key.Proto);
                if (!drafts.TryGetValue(draftKey, out var draft)) drafts[draftKey] = draft = new Draft(destination);
                draft.Tally.Merge(tally);
                draft.Members.Add(key.Target.Text);
            }
        }

        // 2. The same destination and ports over tcp and udp: one rule for both.
        var merged = new List<(AppKey App, string Purpose, Protocol Protocol, Draft Draft)>();
        foreach (var group in drafts.GroupBy(kv => (kv.Key.App, kv.Key.Purpose, kv.Key.Destination, Ports: string.Join(',', kv.Value.Tally.Ports.Order()))))
        {
            var parts = group.ToList();
            if (parts.Count == 2)
            {
                var both = new Draft(parts[0].Value.Destination);
                foreach (var (_, d) in parts) { both.Tally.Merge(d.Tally); both.Members.UnionWith(d.Members); }
                merged.Add((group.Key.App, group.Key.Purpose, Protocol.Any, both));
            }
            else
            {
                foreach (var (k, d) in parts) merged.Add((k.App, k.Purpose, k.Proto == "udp" ? Protocol.Udp : Protocol.Tcp, d));
            }
        }

        // 3. Subjects (user and hash decided once per program) and the rules themselves.
        var subjects = new Dictionary<AppKey, (RuleSubject Subject, string? Note)>();
        var rules = new List<ProposedRule>();
        foreach (var (app, purpose, protocol, draft) in merged
            .OrderBy(m => m.App.Kind).ThenBy(m => m.App.Value, StringComparer.Ordinal)
            .ThenBy(m => PurposeOrder(m.Purpose)).ThenBy(m => m.Draft.Destination.SortKey, StringComparer.Ordinal).ThenBy(m => m.Protocol))
        {
            if (!subjects.TryGetValue(app, out var subject))
                subjects[app] = subject = SubjectFor(app, users[app], settings);
            var rulesNotes = new List<string>();
            if (subject.Note is { } hashNote) rulesNotes.Add(hashNote);
            if (programs.TryGetValue(app, out var exes)) rulesNotes.Add("programs seen: " + string.Join(", ", exes.Order(StringComparer.Ordinal)));
            if (draft.Destination.IsWidened)
            {
                var members = draft.Members.Order(StringComparer.Ordinal).ToList();
                rulesNotes.Add($"{(draft.Destination.Network is not null ? "network widened from" : "covers")} {members.Count} {(draft.Destination.Network is not null ? "addresses" : "names")}: "
                    + string.Join(", ", members.Take(6)) + (members.Count > 6 ? $", and {members.Count - 6} more" : "")
                    + (draft.Destination.Network is not null ? " (narrow it if you only trust these hosts)" : ""));
            }

            var t = draft.Tally;
            foreach (var ports in PortSets.From(t.Ports))
            {
                var rule = new Rule
                {
                    Action = RuleAction.Allow,
                    Direction = Direction.Out,
                    Subject = subject.Subject,
                    Protocol = protocol,
                    To = draft.Destination.Network,
                    ToDomain = draft.Destination.Domain,
                    ToPort = ports,
                    Comment = $"seen {Times(t.Count)}, first {Stamp(t.First)}, last {Stamp(t.Last)}",
                };
                if (rule.Validate() is { Count: > 0 } problems)
                {
                    // Values the event store accepted but a policy cannot hold (odd unit names, control characters): review, never a broken file.
                    Count(review, new ReviewKey(app.Value, draft.Destination.Text, null, null, protocol.ToString().ToLowerInvariant(),
                        "cannot be written as a rule: " + string.Join("; ", problems)), t.First, null, t.Count, t.Last);
                    continue;
                }

                rules.Add(new ProposedRule(rule, purpose, t.Count, t.First, t.Last, rulesNotes));
            }
        }

        if (settings.Hashes)
            notes.Add("sha256 pins are the hashes of the files as they are now (events record no hash): an upgrade since the traffic was recorded pins the new binary");
        return rules;
    }

    private static (RuleSubject Subject, string? Note) SubjectFor(AppKey app, UserTally user, ProposalSettings settings)
    {
        var subject = app.Kind switch
        {
            SubjectKind.Unit => new RuleSubject { Unit = app.Value },
            SubjectKind.Container => new RuleSubject { Container = app.Value },
            _ => new RuleSubject { App = app.Value },
        };
        string? note = null;
        if (settings.Hashes && app.Kind == SubjectKind.App)
        {
            var hash = ExecutableHash.TryCompute(app.Value, out var problem);
            subject = subject with { Sha256 = hash };
            note = hash is null ? problem : $"sha256 of {app.Value} as it is now ({Stamp(settings.Now)}), not necessarily what ran";
        }

        if (user.StableSystemUser is { } name) subject = subject with { User = name };
        return (subject, note);
    }

    /// <summary>"once", "2 times", …</summary>
    public static string Times(long count) => count == 1 ? "once" : count.ToString(CultureInfo.InvariantCulture) + " times";

    private static int PurposeOrder(string purpose) => purpose switch { Dns => 0, Ntp => 1, _ => 2 };

    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "Z";

    private static void Count<TKey>(Dictionary<TKey, Tally> map, TKey key, DateTimeOffset time, int? port, long count = 1, DateTimeOffset? last = null) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var tally)) map[key] = tally = new Tally();
        tally.Add(time, port, count, last ?? time);
    }

    private enum SubjectKind { Unit, Container, App }

    private readonly record struct AppKey(SubjectKind Kind, string Value);

    private readonly record struct Target(bool IsDomain, string Text);

    private readonly record struct ObservationKey(AppKey App, string Purpose, Target Target, string Proto);

    private readonly record struct DraftKey(AppKey App, string Purpose, string Destination, string Proto);

    private readonly record struct ReviewKey(string Program, string? Destination, string? Domain, int? Port, string? Proto, string Reason);

    private sealed class Draft(Destination destination)
    {
        public Destination Destination { get; } = destination;
        public Tally Tally { get; } = new();
        public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Destination(DomainPattern? Domain, IPNetwork? Network, string Text, bool IsWidened)
    {
        /// <summary>Names before addresses, then by domain, the exact name before its wildcard.</summary>
        public string SortKey => (Domain is null ? "1" + Text : "0" + Domain.Domain + (Domain.IsWildcard ? "\u0001" : "\u0000"));

        public static Destination Of(DomainPattern pattern) => new(pattern, null, pattern.ToString(), pattern.IsWildcard);

        public static Destination Of(IPNetwork network)
        {
            var host = network.PrefixLength is 32 or 128;
            return new(null, network, host ? network.BaseAddress.ToString() : network.ToString(), !host);
        }
    }

    private sealed class Tally
    {
        public long Count { get; private set; }
        public DateTimeOffset First { get; private set; } = DateTimeOffset.MaxValue;
        public DateTimeOffset Last { get; private set; } = DateTimeOffset.MinValue;
        public HashSet<int> Ports { get; } = [];

        public void Add(DateTimeOffset time, int? port, long count, DateTimeOffset last)
        {
            Count += count;
            if (time < First) First = time;
            if (last > Last) Last = last;
            if (port is { } p) Ports.Add(p);
        }

        public void Merge(Tally other)
        {
            Count += other.Count;
            if (other.First < First) First = other.First;
            if (other.Last > Last) Last = other.Last;
            Ports.UnionWith(other.Ports);
        }
    }

    /// <summary>Whether a program always ran as the same non-root system account.</summary>
    private sealed class UserTally
    {
        private uint? _uid;
        private string? _name;
        private bool _mixed;

        public void Add(uint? uid, string? name)
        {
            if (_mixed) return;
            if (uid is null) { _mixed = true; return; }
            if (_uid is null) { _uid = uid; _name = name; return; }
            if (_uid != uid) _mixed = true;
            else _name ??= name;
        }

        /// <summary>The account name (or uid) when every connection ran as one uid in 1-999 or 65534 (nobody).</summary>
        public string? StableSystemUser => _mixed || _uid is not { } uid || !(uid is >= 1 and <= 999 or 65534)
            ? null
            : _name ?? uid.ToString(CultureInfo.InvariantCulture);
    }
}
