namespace Outgate.Linux.Queue;

/// <summary>
/// Installs the rules that send NEW outgoing connections to our NFQUEUE, in the current network
/// namespace or in a named one (<c>ip netns exec</c>). Two paths:
/// <list type="bullet">
/// <item><see cref="QueuePath.Native"/>: table <c>inet outgate_queue</c> with the nft <c>queue</c> statement, when the kernel has CONFIG_NFT_QUEUE (probed by adding it in a throwaway table that the same transaction deletes).</item>
/// <item><see cref="QueuePath.Compat"/>: iptables-nft / ip6tables-nft chain <c>OUTGATE-QUEUE</c> in table filter, jumped to from OUTPUT, with the xt NFQUEUE target (nft_compat).</item>
/// </list>
/// Both set <see cref="QueueRuleOptions.QueuedMark"/> and queue with bypass. Measured here: a
/// verdict and a bypass both continue with the NEXT BASE CHAIN of the hook (a rule after the queue
/// rule in the same chain never runs), so the native chain <c>after_queue</c> (output, priority
/// filter + 10) tells them apart by the queued bit, which only a verdict clears: unless fail-open,
/// a packet still carrying it was not answered and is rejected (TCP reset / ICMP unreachable), so
/// with no daemon connections fail at once. The same chain rejects ACCEPT verdicts carrying
/// <see cref="QueueRuleOptions.RejectMark"/> (deny without the client's 2-minute SYN timeout) and
/// copies a non-zero mark into the ct mark. Never touches <c>inet outgate</c>
/// and never round-trips the ruleset through text (compat expressions do not survive that).
/// </summary>
public sealed class QueueRuleInstaller
{
    /// <summary>Our iptables chain (compat path).</summary>
    public const string CompatChain = "OUTGATE-QUEUE";

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
        var compat = await ToolProcess.RunAsync(_namespace, "iptables", ["-w", "-S", CompatChain], null, cancellationToken);
        return compat.ExitCode == 0 ? QueuePath.Compat : QueuePath.None;
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
                await InstallCompatAsync("iptables", options, cancellationToken);
                if (options.IPv6) await InstallCompatAsync("ip6tables", options, cancellationToken);
            }
        }
        catch
        {
            await RemoveAsync(CancellationToken.None);
            throw;
        }
        return chosen;
    }

    /// <summary>Removes our chain from iptables/ip6tables and our native table; a no-op when nothing is installed.</summary>
    public async Task RemoveAsync(CancellationToken cancellationToken = default)
    {
        foreach (var tool in (string[])["iptables", "ip6tables"])
        {
            // Delete every jump to our chain by number, highest first (the rule text may vary with options).
            var listing = await ToolProcess.RunAsync(_namespace, tool, ["-w", "-L", "OUTPUT", "-n", "--line-numbers"], null, cancellationToken);
            var numbers = listing.StdOut.Split('\n')
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 2 && fields[1] == CompatChain && int.TryParse(fields[0], out _))
                .Select(fields => int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture))
                .OrderDescending();
            foreach (var number in numbers)
                await ToolProcess.RunCheckedAsync(_namespace, tool, ["-w", "-D", "OUTPUT", number.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, cancellationToken);
            if ((await ToolProcess.RunAsync(_namespace, tool, ["-w", "-F", CompatChain], null, cancellationToken)).ExitCode == 0)
                await ToolProcess.RunCheckedAsync(_namespace, tool, ["-w", "-X", CompatChain], null, cancellationToken);
        }
        await ToolProcess.RunAsync(_namespace, "nft", ["delete", "table", "inet", NativeTable], null, cancellationToken);
    }

    /// <summary>The nft text for table inet outgate_queue (created fresh; never read back).</summary>
    internal static string NativeRuleset(QueueRuleOptions options, bool withQueue)
    {
        var lines = new List<string> { $"table inet {NativeTable} {{" };
        if (withQueue)
        {
            var last = options.FirstQueue + options.QueueCount - 1;
            var queueNumbers = options.QueueCount == 1 ? $"{options.FirstQueue}" : $"{options.FirstQueue}-{last}";
            var flags = options.QueueCount == 1 ? "bypass" : "bypass,fanout";
            lines.Add("  chain output {");
            lines.Add("    type filter hook output priority filter; policy accept;");
            if (!options.QueueLoopback) lines.Add("    oif \"lo\" accept");
            if (!options.IPv6) lines.Add("    meta nfproto ipv6 accept");
            lines.Add($"    ct state new meta mark set meta mark | 0x{options.QueuedMark:x8} queue num {queueNumbers} {flags}");
            lines.Add("  }");
        }
        // Both a verdict and a bypass continue with the next base chain of the hook (an xt/nft
        // verdict of NF_QUEUE ends the queueing chain either way), so "no daemon" is recognised
        // here by the queued bit that only a verdict clears.
        lines.Add("  chain after_queue {");
        lines.Add("    type filter hook output priority filter + 10; policy accept;");
        var queued = $"0x{options.QueuedMark:x8}";
        if (options.FailOpen)
            lines.Add($"    meta mark & {queued} == {queued} meta mark set meta mark & 0x{~options.QueuedMark:x8}");
        else
        {
            lines.Add($"    meta mark & {queued} == {queued} meta l4proto tcp reject with tcp reset");
            lines.Add($"    meta mark & {queued} == {queued} reject");
        }
        if (options.RejectMark != 0)
        {
            var mark = $"0x{options.RejectMark:x8}";
            lines.Add($"    ct state new meta mark & {mark} == {mark} meta l4proto tcp reject with tcp reset");
            lines.Add($"    ct state new meta mark & {mark} == {mark} reject");
        }
        if (options.CopyMarkToConntrack) lines.Add("    ct state new meta mark != 0 ct mark set meta mark");
        lines.Add("  }");
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
        var commands = new List<string[]>();
        commands.Add(["-w", "-N", CompatChain]);
        commands.Add(["-w", "-A", CompatChain, "-m", "conntrack", "--ctstate", "NEW", "-j", "MARK", "--or-mark", $"0x{options.QueuedMark:x8}"]);
        commands.Add(["-w", "-A", CompatChain, "-m", "conntrack", "--ctstate", "NEW", "-j", "NFQUEUE", .. queue]);
        commands.Add(options.QueueLoopback
            ? ["-w", "-I", "OUTPUT", "1", "-j", CompatChain]
            : ["-w", "-I", "OUTPUT", "1", "!", "-o", "lo", "-j", CompatChain]);
        return commands;
    }

    private async Task InstallCompatAsync(string tool, QueueRuleOptions options, CancellationToken cancellationToken)
    {
        foreach (var args in CompatCommands(options))
            await ToolProcess.RunCheckedAsync(_namespace, tool, args, null, cancellationToken);
    }
}
