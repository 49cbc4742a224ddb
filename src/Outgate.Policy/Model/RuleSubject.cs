namespace Outgate.Policy;

/// <summary>
/// Who a rule is about: the program behind a connection. Every non-null field must match (AND);
/// a rule with no subject (<see cref="Rule.Subject"/> null) is a plain ufw rule about packets only.
/// Matching is done by <see cref="SubjectMatcher"/> in the daemon; only <see cref="User"/> and
/// <see cref="Group"/> can also be judged by the kernel (skuid/skgid) and are compiled into the table.
/// </summary>
public sealed record RuleSubject
{
    /// <summary>Executable: an absolute path (exact match) or a bare name (matches the executable's file name, e.g. <c>python3</c>).</summary>
    public string? App { get; init; }

    /// <summary>SHA-256 of the executable, 64 lower-case hex digits (a hash pin: a changed binary no longer matches and is reported).</summary>
    public string? Sha256 { get; init; }

    /// <summary>Glob (<c>*</c>, <c>?</c>) matched against the whole command line, arguments joined by one space.</summary>
    public string? CommandLine { get; init; }

    /// <summary>The parent process's executable: absolute path or bare name, like <see cref="App"/>.</summary>
    public string? Parent { get; init; }

    /// <summary>User name or numeric uid of the socket's owner.</summary>
    public string? User { get; init; }

    /// <summary>Group name or numeric gid of the socket's owner.</summary>
    public string? Group { get; init; }

    /// <summary>systemd unit, e.g. <c>systemd-timesyncd.service</c> (a name without a dot means <c>.service</c>).</summary>
    public string? Unit { get; init; }

    /// <summary>cgroup path prefix, e.g. <c>/system.slice/nginx.service</c>.</summary>
    public string? Cgroup { get; init; }

    /// <summary>Container name, or an id prefix of at least 12 hex digits.</summary>
    public string? Container { get; init; }

    /// <summary>True when no field is set.</summary>
    public bool IsEmpty => App is null && Sha256 is null && CommandLine is null && Parent is null && User is null
        && Group is null && Unit is null && Cgroup is null && Container is null;

    /// <summary>True when the kernel can judge this subject alone (only <see cref="User"/> and/or <see cref="Group"/> set).</summary>
    public bool IsKernelJudgeable => App is null && Sha256 is null && CommandLine is null && Parent is null
        && Unit is null && Cgroup is null && Container is null && (User is not null || Group is not null);
}
