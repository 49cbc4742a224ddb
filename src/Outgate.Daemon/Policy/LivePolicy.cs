using Outgate.Daemon.Options;
using Outgate.Policy;

namespace Outgate.Daemon.Policy;

/// <summary>
/// The policy the daemon decides with: loaded from <c>--config-dir</c> at start and on
/// <c>POST /v1/policy/reload</c> (the CLI sends it after every edit). Readers take <see cref="Current"/>
/// once per decision; a reload swaps in a whole new <see cref="PolicySnapshot"/> and bumps its
/// generation, which invalidates every cached decision. A policy with errors is refused and the
/// previous one stays in force.
/// </summary>
public sealed class LivePolicy(DaemonOptions options, TimeProvider time)
{
    private static readonly string? BootId = ReadBootId();
    private readonly Outgate.Policy.Domains.DomainListCache _lists = new();
    private PolicySnapshot? _current;
    private readonly Lock _reloadLock = new();

    /// <summary>The policy in force now.</summary>
    public PolicySnapshot Current => Volatile.Read(ref _current) ?? Initial();

    /// <summary>Raised after a reload swapped in a new policy (on the reloading thread).</summary>
    public event Action? Changed;

    /// <summary>Why the last reload failed (null after a good one).</summary>
    public string? LastError { get; private set; }

    /// <summary>This boot's id (/proc/sys/kernel/random/boot_id), for until-reboot rules.</summary>
    public static string? CurrentBootId => BootId;

    /// <summary>Loads the policy files again. Returns the errors (file:line:col: message); empty on success.</summary>
    public IReadOnlyList<string> Reload()
    {
        lock (_reloadLock)
        {
            PolicyLoadResult result;
            try
            {
                result = PolicyFileSet.Load(options.ConfigDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LastError = $"{options.ConfigDirectory}: {ex.Message}";
                return [LastError];
            }
            if (!result.Succeeded)
            {
                var errors = result.Errors.Select(e => e.ToString()).DefaultIfEmpty($"{options.ConfigDirectory}: the policy could not be loaded").ToList();
                LastError = string.Join("; ", errors);
                return errors;
            }
            var next = new PolicySnapshot(result.FileSet!.Policy, Current.Generation + 1, time.GetUtcNow(), BootId, _lists);
            Volatile.Write(ref _current, next);
            LastError = null;
            Changed?.Invoke();
            return [];
        }
    }

    private PolicySnapshot Initial()
    {
        Interlocked.CompareExchange(ref _current, new PolicySnapshot(FirewallPolicy.Default, 0, time.GetUtcNow(), BootId, _lists), null);
        return _current!;
    }

    private static string? ReadBootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>One loaded policy with its matchers, immutable.</summary>
public sealed class PolicySnapshot(FirewallPolicy policy, long generation, DateTimeOffset loadedAt, string? bootId, Outgate.Policy.Domains.DomainListCache? lists = null)
{
    /// <summary>The <c>to list</c> files, shared by every snapshot (a file is reloaded when it changes, not per policy).</summary>
    public Outgate.Policy.Domains.DomainListCache Lists { get; } = lists ?? new();

    public FirewallPolicy Policy { get; } = policy;

    /// <summary>Increases with every reload; cached decisions of older generations are stale.</summary>
    public long Generation { get; } = generation;

    public DateTimeOffset LoadedAt { get; } = loadedAt;

    /// <summary>The static (packet-only) rules, as the kernel table judges them.</summary>
    public PolicyMatcher Packets { get; } = new(policy, lists);

    /// <summary>The rules about programs.</summary>
    public SubjectMatcher Subjects { get; } = new(policy, bootId, lists);

    private Outgate.Policy.Domains.AddressRangeSet? _dnsExempt;
    private string?[]? _ruleTexts;

    /// <summary>
    /// "rule N: allow out ..." for 1-based rule <paramref name="number"/>, made once per snapshot: every decision names its
    /// rule, and formatting the ufw text per connection showed in the decision path's and the simulator's profiles.
    /// </summary>
    public string DescribeRule(int number)
    {
        var texts = _ruleTexts ??= new string?[Policy.Rules.Count];
        return texts[number - 1] ??= Decisions.ConnectionDecider.DescribeRule(Policy.Rules[number - 1], number);
    }

    /// <summary>
    /// What dns-required lets through without a DNS answer, built as the compiler builds dns_exempt (rules the kernel
    /// enforces when this policy was loaded); once per snapshot, on first use.
    /// </summary>
    public Outgate.Policy.Domains.AddressRangeSet DnsExempt => _dnsExempt ??= BuildDnsExempt();

    private Outgate.Policy.Domains.AddressRangeSet BuildDnsExempt()
    {
        bool Enforced(Rule rule) =>
            (rule.Subject is null || rule.Subject.IsKernelJudgeable)
            && !(rule.Expires is { } expires && expires <= LoadedAt)
            && !(bootId is { } boot && rule.BootId is { } ruleBoot && ruleBoot != boot);
        var allowedLists = DomainSets.KernelRuleLists(Policy)
            .Where(rule => rule.Action == RuleAction.Allow && Enforced(rule))
            .Select(rule => Lists.Get(rule.ToList!))
            .Where(list => list.Kind == Outgate.Policy.Domains.ListKind.Addresses)
            .Select(list => list.Addresses);
        return DomainSets.Exempt(Policy, Enforced, allowedLists);
    }
}
