namespace Outgate.Linux.Queue;

/// <summary>
/// Installs the rules that send the first packet of each NEW outgoing connection to our NFQUEUE,
/// in the current network namespace or in a named one (<c>ip netns exec</c>). They run BEFORE
/// the static table <c>inet outgate</c> (priority filter), so the daemon's verdict reaches it as
/// a mark bit. Two paths:
/// <list type="bullet">
/// <item><see cref="QueuePath.Native"/>: table <c>inet outgate_queue</c>, chain <c>output</c> at
/// priority mangle with the nft <c>queue</c> statement, when the kernel has CONFIG_NFT_QUEUE
/// (probed in a throwaway table that the same transaction deletes).</item>
/// <item><see cref="QueuePath.Compat"/>: iptables-nft / ip6tables-nft chain <c>OUTGATE-QUEUE</c>
/// in table mangle (priority mangle, -150), APPENDED to mangle OUTPUT so other mangle rules
/// (VPN routing marks) run first, with the xt NFQUEUE target (nft_compat).</item>
/// </list>
/// Queued are TCP packets with SYN set and ACK/RST/FIN clear in ct state new, and any other
/// protocol's ct state new packets; never loopback unless asked. A TCP packet without SYN in ct
/// state new is a pre-existing flow conntrack picked up mid-stream: it is not queued. Each queued
/// packet first gets <see cref="QueueRuleOptions.QueuedMark"/>; the queue has bypass, and the
/// static table drops a packet still carrying the bit (no daemon answered), so failing closed is
/// the static table's job. Measured: a verdict and a bypass both continue with the next base
/// chain of the hook, so nothing after the queue rule in the same chain ever runs.
/// With <see cref="QueueRuleOptions.DnsQueue"/> set, DNS answers (UDP and TCP from source port
/// 53 with payload, IPv4 and IPv6, any interface including lo) are queued in the INPUT direction
/// so the daemon reads each answer before the resolver client does: compat chain
/// <c>OUTGATE-DNS</c> appended to mangle INPUT, or native chain <c>dns_input</c> (hook input,
/// priority mangle). Always with bypass: no daemon, DNS still works. Fragmented answers arrive
/// reassembled (conntrack defragments before the input hook), so one queued packet is one whole
/// UDP datagram, up to 65535 bytes.
/// The native chain <c>copy_mark</c> (output, filter + 10, after the static table) copies a
/// mark carrying one of our bits into the ct mark. Never touches <c>inet outgate</c> and never
/// round-trips the ruleset through text (compat expressions do not survive that).
/// </summary>
public sealed class QueueRuleInstaller
{
    /// <summary>Our iptables chain (compat path), in table <see cref="CompatTable"/>.</summary>
    public const string CompatChain = "OUTGATE-QUEUE";

    /// <summary>Our iptables chain for DNS answers (compat path), in table <see cref="CompatTable"/>, jumped to from INPUT.</summary>
    public const string CompatDnsChain = "OUTGATE-DNS";

    /// <summary>Our native chain for DNS answers (native path) in <see cref="NativeTable"/>.</summary>
    public const string NativeDnsChain = "dns_input";

    /// <summary>The iptables table our chain lives in (compat path).</summary>
    public const string CompatTable = "mangle";

    /// <summary>Where older versions put the chain (jumped to from filter OUTPUT); removed on install and remove.</summary>
    private const string LegacyCompatTable = "filter";

    /// <summary>Our native table (native path, and the ct-mark copy on both paths).</summary>
    public const string NativeTable = "outgate_queue";

    private const string ProbeTable = "outgate_queue_probe";

    private readonly string? _namespace;

    /// <param name="networkNamespace">A name under /run/netns to work in, or null for the current namespace.</param>
    public QueueRuleInstaller(string? networkNamespace = null) => _namespace = networkNamespace;

    /// <summary>
    /// Which path this kernel supports: <see cref="QueuePath.Native"/> when a rule with the nft
    /// <c>queue</c> statement can be added (in a throwaway table that the same transaction deletes,
    /// so nothing stays behind either way), else <see cref="QueuePath.Compat"/>.
    /// </summary>
    public async Task<QueuePath> DetectAsync(CancellationToken cancellationToken = default)
    {
        var probe = $"""
            add table inet {ProbeTable}
            add chain inet {ProbeTable} probe
            add rule inet {ProbeTable} probe queue num 0 bypass
            delete table inet {ProbeTable}

            """;
        var result = await ToolProcess.RunAsync(_namespace, "nft", ["-f", "-"], probe, cancellationToken);
        return result.ExitCode == 0 ? QueuePath.Native : QueuePath.Compat;
    }

    /// <summary>Which path is installed right now (<see cref="QueuePath.None"/> when neither).</summary>
    public async Task<QueuePath> ActivePathAsync(CancellationToken cancellationToken = default)
    {
        var native = await ToolProcess.RunAsync(_namespace, "nft", ["list", "chain", "inet", NativeTable, "output"], null, cancellationToken);
        if (native.ExitCode == 0) return QueuePath.Native;
        var compat = await ToolProcess.RunAsync(_namespace, "iptables", ["-w", "-t", CompatTable, "-S", CompatChain], null, cancellationToken);
        return compat.ExitCode == 0 ? QueuePath.Compat : QueuePath.None;
    }

    /// <summary>
    /// True when every rule <see cref="InstallAsync"/> put in for <paramref name="options"/> on
    /// <paramref name="path"/> is still there (chains, their rule counts, the jumps into them). A
    /// deleted or flushed chain, or a removed jump, means connections bypass the daemon: the caller
    /// reinstalls and reports it.
    /// </summary>
    public async Task<bool> IsIntactAsync(QueueRuleOptions options, QueuePath path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (path == QueuePath.None) return true;
        var native = await ToolProcess.RunAsync(_namespace, "nft", ["list", "table", "inet", NativeTable], null, cancellationToken);
        if (native.ExitCode != 0) return false;
        if (options.CopyMarkToConntrack && !native.StdOut.Contains("chain copy_mark", StringComparison.Ordinal)) return false;
        if (path == QueuePath.Native)
        {
            return native.StdOut.Contains("chain output", StringComparison.Ordinal)
                && (options.DnsQueue is null || native.StdOut.Contains($"chain {NativeDnsChain}", StringComparison.Ordinal));
        }
        var tools = options.IPv6 ? (string[])["iptables", "ip6tables"] : ["iptables"];
        foreach (var tool in tools)
        {
            if (!await ChainIntactAsync(tool, "OUTPUT", CompatChain, CompatCommands(options).Count(c => c[3] == "-A" && c[4] == CompatChain), cancellationToken)) return false;
            var dnsRules = CompatDnsCommands(options, tool == "ip6tables").Count(c => c[3] == "-A" && c[4] == CompatDnsChain);
            if (dnsRules > 0 && !await ChainIntactAsync(tool, "INPUT", CompatDnsChain, dnsRules, cancellationToken)) return false;
        }
        return true;
    }

    private async Task<bool> ChainIntactAsync(string tool, string hookChain, string ourChain, int rules, CancellationToken cancellationToken)
    {
        var hook = await ToolProcess.RunAsync(_namespace, tool, ["-w", "-t", CompatTable, "-S", hookChain], null, cancellationToken);
        if (hook.ExitCode != 0 || !hook.StdOut.Contains($"-j {ourChain}", StringComparison.Ordinal)) return false;
        var chain = await ToolProcess.RunAsync(_namespace, tool, ["-w", "-t", CompatTable, "-S", ourChain], null, cancellationToken);
        return chain.ExitCode == 0
            && chain.StdOut.Split('\n').Count(line => line.StartsWith($"-A {ourChain} ", StringComparison.Ordinal)) >= rules;
    }

    /// <summary>
    /// Removes any previous queue rules of ours, then installs them on the detected path (or
    /// <paramref name="path"/> when given). Returns the path used.
    /// </summary>
    /// <exception cref="QueueRuleException">nft or iptables refused a command; what was installed so far is removed.</exception>
    public async Task<QueuePath> InstallAsync(QueueRuleOptions options, QueuePath? path = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var chosen = path ?? await DetectAsync(cancellationToken);
        if (chosen == QueuePath.None) throw new ArgumentException("install needs the Native or the Compat path", nameof(path));
        await RemoveAsync(cancellationToken);
        try
        {
            await ToolProcess.RunCheckedAsync(_namespace, "nft", ["-f", "-"], NativeRuleset(options, chosen == QueuePath.Native), cancellationToken);
            if (chosen == QueuePath.Compat)
            {
                await InstallCompatAsync("iptables", CompatCommands(options), cancellationToken);
                if (options.IPv6) await InstallCompatAsync("ip6tables", CompatCommands(options), cancellationToken);
                await InstallCompatAsync("iptables", CompatDnsCommands(options, ipv6: false), cancellationToken);
                if (options.IPv6) await InstallCompatAsync("ip6tables", CompatDnsCommands(options, ipv6: true), cancellationToken);
            }
        }
        catch
        {
            await RemoveAsync(CancellationToken.None);
            throw;
        }
        return chosen;
    }

    /// <summary>
    /// Removes our chain from iptables/ip6tables (table mangle, and table filter where older
    /// versions put it) and our native table (which also held the old <c>after_queue</c> chain);
    /// a no-op when nothing is installed.
    /// </summary>
    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        foreach (var tool in (string[])["iptables", "ip6tables"])
        {
            foreach (var table in (string[])[CompatTable, LegacyCompatTable])
                await RemoveCompatChainAsync(tool, table, "OUTPUT", CompatChain, cancellationToken);
            await RemoveCompatChainAsync(tool, CompatTable, "INPUT", CompatDnsChain, cancellationToken);
        }
        await ToolProcess.RunAsync(_namespace, "nft", ["delete", "table", "inet", NativeTable], null, cancellationToken);
    }

    private async Task RemoveCompatChainAsync(string tool, string table, string hookChain, string ourChain, CancellationToken cancellationToken)
    {
        // Delete every jump to our chain by number, highest first (the rule text may vary with options).
        var listing = await ToolProcess.RunAsync(_namespace, tool, ["-w", "-t", table, "-L", hookChain, "-n", "--line-numbers"], null, cancellationToken);
        var numbers = listing.StdOut.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 2 && fields[1] == ourChain && int.TryParse(fields[0], out _))
            .Select(fields => int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture))
            .OrderDescending();
        foreach (var number in numbers)
            await ToolProcess.RunCheckedAsync(_namespace, tool, ["-w", "-t", table, "-D", hookChain, number.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, cancellationToken);
        if ((await ToolProcess.RunAsync(_namespace, tool, ["-w", "-t", table, "-F", ourChain], null, cancellationToken)).ExitCode == 0)
            await ToolProcess.RunCheckedAsync(_namespace, tool, ["-w", "-t", table, "-X", ourChain], null, cancellationToken);
    }

    /// <summary>The nft text for table inet outgate_queue (created fresh; never read back).</summary>
    internal static string NativeRuleset(QueueRuleOptions options, bool withQueue)
    {
        var lines = new List<string> { $"table inet {NativeTable} {{" };
        var queued = $"0x{options.QueuedMark:x8}";
        if (withQueue)
        {
            var last = options.FirstQueue + options.QueueCount - 1;
            var queueNumbers = options.QueueCount == 1 ? $"{options.FirstQueue}" : $"{options.FirstQueue}-{last}";
            var flags = options.QueueCount == 1 ? "bypass" : "bypass,fanout";
            var queue = $"meta mark set meta mark | {queued} queue num {queueNumbers} {flags}";
            lines.Add("  chain output {");
            lines.Add("    type filter hook output priority mangle; policy accept;");
            // accept only ends this chain: the static table still sees the packet.
            if (!options.QueueLoopback) lines.Add("    oif \"lo\" accept");
            if (!options.IPv6) lines.Add("    meta nfproto ipv6 accept");
            if (options.KernelMark != 0) lines.Add($"    meta l4proto tcp meta mark & 0x{options.KernelMark:x8} != 0 accept");
            lines.Add($"    ct state new tcp flags & (syn | ack | rst | fin) == syn {queue}");
            lines.Add($"    ct state new meta l4proto != tcp {queue}");
            lines.Add("  }");
            if (options.DnsQueue is { } dns)
            {
                // Every interface, lo included (a local stub resolver answers over lo). Of TCP, the
                // SYN-ACK (for the sequence number) and segments that can hold data are queued; a
                // length of at most IP + TCP header with timestamps (52 bytes IPv4, 72 IPv6) is a bare ACK.
                var dnsQueue = $"queue num {dns} bypass";
                lines.Add($"  chain {NativeDnsChain} {{");
                lines.Add("    type filter hook input priority mangle; policy accept;");
                if (!options.IPv6) lines.Add("    meta nfproto ipv6 accept");
                lines.Add($"    udp sport 53 {dnsQueue}");
                // The SYN-ACK carries the server's initial sequence number: the stream's byte 0 follows it.
                lines.Add($"    tcp sport 53 tcp flags & (syn | ack | rst) == syn | ack {dnsQueue}");
                lines.Add($"    meta nfproto ipv4 tcp sport 53 tcp flags & (syn | rst) == 0 meta length > {BareTcpAckLengthIPv4} {dnsQueue}");
                lines.Add($"    meta nfproto ipv6 tcp sport 53 tcp flags & (syn | rst) == 0 meta length > {BareTcpAckLengthIPv6} {dnsQueue}");
                lines.Add("  }");
            }
        }
        if (options.CopyMarkToConntrack)
        {
            // After the static table (filter + 10): the verdict's allow/deny bit labels the flow.
            lines.Add("  chain copy_mark {");
            lines.Add("    type filter hook output priority filter + 10; policy accept;");
            lines.Add($"    ct state new meta mark & 0x{options.DaemonBits:x8} != 0 ct mark set meta mark");
            lines.Add("  }");
        }
        lines.Add("}");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>The iptables argument lists for the compat chain, in order (creating the chain first, the jump last).</summary>
    internal static List<string[]> CompatCommands(QueueRuleOptions options)
    {
        var last = options.FirstQueue + options.QueueCount - 1;
        string[] queue = options.QueueCount == 1
            ? ["--queue-num", $"{options.FirstQueue}", "--queue-bypass"]
            : ["--queue-balance", $"{options.FirstQueue}:{last}", "--queue-cpu-fanout", "--queue-bypass"];
        string[] mark = ["-j", "MARK", "--or-mark", $"0x{options.QueuedMark:x8}"];
        string[] newState = ["-m", "conntrack", "--ctstate", "NEW"];
        // Only a pure SYN opens a TCP connection; a non-SYN in state NEW is a picked-up old flow.
        string[] tcpFirst = ["-p", "tcp", "--tcp-flags", "SYN,ACK,RST,FIN", "SYN", .. newState];
        string[] otherFirst = ["!", "-p", "tcp", .. newState];
        var chain = (string[])["-w", "-t", CompatTable, "-A", CompatChain];
        // A socket the kernel cache labelled at connect carries its verdict already: not queued.
        string[][] labelled = options.KernelMark == 0 ? [] :
            [[.. chain, "-p", "tcp", "-m", "mark", "--mark", $"0x{options.KernelMark:x8}/0x{options.KernelMark:x8}", "-j", "RETURN"]];
        return
        [
            ["-w", "-t", CompatTable, "-N", CompatChain],
            .. labelled,
            [.. chain, .. tcpFirst, .. mark],
            [.. chain, .. tcpFirst, "-j", "NFQUEUE", .. queue],
            [.. chain, .. otherFirst, .. mark],
            [.. chain, .. otherFirst, "-j", "NFQUEUE", .. queue],
            // Appended: mangle rules of others (routing marks) run first and the mark they set is kept.
            options.QueueLoopback
                ? ["-w", "-t", CompatTable, "-A", "OUTPUT", "-j", CompatChain]
                : ["-w", "-t", CompatTable, "-A", "OUTPUT", "!", "-o", "lo", "-j", CompatChain],
        ];
    }

    /// <summary>IPv4 (20) + TCP (20) + timestamp option (12): the longest usual segment without data.</summary>
    internal const int BareTcpAckLengthIPv4 = 52;

    /// <summary>IPv6 (40) + TCP (20) + timestamp option (12).</summary>
    internal const int BareTcpAckLengthIPv6 = 72;

    /// <summary>
    /// The iptables (or ip6tables, <paramref name="ipv6"/>) argument lists for the DNS answer chain,
    /// empty when <see cref="QueueRuleOptions.DnsQueue"/> is null. Appended to mangle INPUT on every
    /// interface (lo included). The TCP SYN-ACK is queued (it names the stream's first sequence
    /// number), and so is a segment longer than a bare ACK with timestamps and without SYN/RST; a bare ACK with SACK blocks may be queued too (the daemon finds no data and
    /// accepts), a data segment is never missed (2-byte length prefix + 12-byte DNS header &gt; 0).
    /// </summary>
    internal static List<string[]> CompatDnsCommands(QueueRuleOptions options, bool ipv6)
    {
        if (options.DnsQueue is not { } dns) return [];
        string[] queue = ["-j", "NFQUEUE", "--queue-num", $"{dns}", "--queue-bypass"];
        var longerThanBareAck = (ipv6 ? BareTcpAckLengthIPv6 : BareTcpAckLengthIPv4) + 1;
        var chain = (string[])["-w", "-t", CompatTable, "-A", CompatDnsChain];
        return
        [
            ["-w", "-t", CompatTable, "-N", CompatDnsChain],
            [.. chain, "-p", "udp", "--sport", "53", .. queue],
            // The SYN-ACK gives DnsTcpStreams the server's initial sequence number (stream byte 0 follows it).
            [.. chain, "-p", "tcp", "--sport", "53", "--tcp-flags", "SYN,ACK,RST", "SYN,ACK", .. queue],
            [.. chain, "-p", "tcp", "--sport", "53", "--tcp-flags", "SYN,RST", "NONE", "-m", "length", "--length", $"{longerThanBareAck}:65535", .. queue],
            ["-w", "-t", CompatTable, "-A", "INPUT", "-j", CompatDnsChain],
        ];
    }

    private async Task InstallCompatAsync(string tool, List<string[]> commands, CancellationToken cancellationToken)
    {
        foreach (var args in commands)
            await ToolProcess.RunCheckedAsync(_namespace, tool, args, null, cancellationToken);
    }
}
