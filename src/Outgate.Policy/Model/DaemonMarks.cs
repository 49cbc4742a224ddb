namespace Outgate.Policy;

/// <summary>
/// Packet mark bits shared by the daemon's queue rules and the compiled <c>inet outgate</c> table.
/// The queue rule (priority mangle, before our table) sets <see cref="Queued"/> on a NEW outgoing
/// connection and sends it to the daemon; the daemon's verdict clears <see cref="Queued"/> and sets
/// <see cref="Allow"/> (an app rule or prompt allowed it: accept), <see cref="Deny"/> (refuse: reject)
/// or neither (no app-level opinion: the static rules decide). A packet that still carries
/// <see cref="Queued"/> in our table was never answered (the daemon is down: bypass) and is
/// dropped after the static rules unless the policy is fail-open. Without a daemon no packet
/// carries these bits, so the extra rules are inert and the table is the plain ufw policy.
/// </summary>
public static class DaemonMarks
{
    /// <summary>Set by the queue rule, cleared by every daemon verdict.</summary>
    public const uint Queued = 0x0080_0000;

    /// <summary>The daemon allowed the connection.</summary>
    public const uint Allow = 0x0020_0000;

    /// <summary>The daemon refused the connection (TCP reset / ICMP unreachable at once, no SYN retries).</summary>
    public const uint Deny = 0x0040_0000;

    /// <summary>
    /// The kernel decision cache labelled the socket at connect (with <see cref="Allow"/> or without: the static rules
    /// decide); such a SYN is not queued. The low 16 bits then number the program (see the daemon's KernelVerdicts).
    /// </summary>
    public const uint Kernel = 0x0010_0000;

    /// <summary>All bits we own; verdicts keep every other bit of the mark as it was.</summary>
    public const uint All = Queued | Allow | Deny | Kernel;
}
