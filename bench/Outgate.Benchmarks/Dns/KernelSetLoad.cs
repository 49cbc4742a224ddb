using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Policy.Domains;

namespace Outgate.Benchmarks.Dns;

/// <summary>
/// Issue 6's IP-list target: 100,000 CIDRs (deterministic, mixed prefixes, some overlapping)
/// read and merged by <see cref="AddressListReader"/>, then loaded into an nft interval set in
/// the client namespace in ONE transaction through libnftables (<see cref="NftClient"/>, text and
/// JSON input), side by side with <c>nft -f</c> of the same set as text. For information the same
/// with 1,000,000 single IPv4 addresses (interval set and plain hash set). Each load goes into a
/// fresh table, deleted afterwards.
/// </summary>
internal static class KernelSetLoad
{
    private const string Table = "og_bench_sets";
    private static readonly int[] V6Prefixes = [32, 48, 56, 64, 64, 128];

    public static async Task RunAsync(DnsBenchmarkOptions options, string workDirectory)
    {
        var listPath = Path.Combine(workDirectory, "cidrs.netset");
        await File.WriteAllLinesAsync(listPath, GenerateCidrs(options.Cidrs, seed: 6));
        var cold = Stopwatch.StartNew();
        AddressListReader.ReadFile(listPath); // first run pays the JIT; the row shows the second
        cold.Stop();
        var merge = Stopwatch.StartNew();
        var list = AddressListReader.ReadFile(listPath);
        merge.Stop();
        if (list.BadLines != 0) throw new InvalidOperationException($"generated CIDR list has bad lines: {string.Join("; ", list.Warnings.Take(3))}");
        var v4 = list.Set.IPv4.Select(r => r.ToString()).ToArray();
        var v6 = list.Set.IPv6.Select(r => r.ToString()).ToArray();

        var rows = new List<string>();
        void Row(string what, int elements, IEnumerable<Timing> timings, string note = "")
        {
            var t = timings.OrderBy(x => x.Wall).ToArray();
            var m = t[t.Length / 2];
            var cpu = m.User + m.Sys > 0 ? $"{m.User * 1000:N0} / {m.Sys * 1000:N0} ms" : "";
            rows.Add($"| {what} | {elements:N0} | {m.Wall * 1000:N0} ms | {t[0].Wall * 1000:N0}–{t[^1].Wall * 1000:N0} ms | {cpu} | {note} |");
        }
        Row($"read + merge the list (AddressListReader, {options.Cidrs:N0} lines)", v4.Length + v6.Length, [new Timing(merge.Elapsed.TotalSeconds, 0, 0)],
            $"{list.Entries:N0} entries → {v4.Length:N0} IPv4 + {v6.Length:N0} IPv6 ranges after merging; second run (first, with JIT: {cold.Elapsed.TotalMilliseconds:N0} ms)");

        var sets = new[] { ("v4", "ipv4_addr", v4), ("v6", "ipv6_addr", v6) };
        var text = TextTransaction(sets, interval: true);
        var json = JsonTransaction(sets).ToJsonString();
        var textFile = Path.Combine(workDirectory, "cidrs.nft");
        await File.WriteAllTextAsync(textFile, text);
        var rounds = Math.Max(1, options.Rounds);
        var (inProcessText, inProcessJson, nftFile) = (new List<Timing>(), new List<Timing>(), new List<Timing>());
        var deletes = new List<Timing>();
        for (var round = 0; round < rounds; round++)
        {
            inProcessText.Add(LoadInProcess(options.ClientNamespace, text, json: false, deletes));
            inProcessJson.Add(LoadInProcess(options.ClientNamespace, json, json: true, deletes));
            nftFile.Add(await LoadWithNftAsync(options.ClientNamespace, textFile, deletes));
        }
        var elements = v4.Length + v6.Length;
        Row("interval set, NftClient (libnftables in process), nft text, 1 transaction", elements, inProcessText, $"{rounds} runs");
        Row("interval set, NftClient, libnftables JSON, 1 transaction", elements, inProcessJson, $"{rounds} runs");
        Row("interval set, `nft -f` of the same text (nft 1.0.6 process)", elements, nftFile, $"{rounds} runs; includes nft's start");

        // The unmerged list straight into nft, letting nft merge (auto-merge): does nft need our merge?
        var raw = Path.Combine(workDirectory, "cidrs-raw.nft");
        var rawLines = File.ReadLines(listPath).ToArray();
        await File.WriteAllTextAsync(raw, TextTransaction([("v4", "ipv4_addr", rawLines.Where(l => !l.Contains(':')).ToArray()), ("v6", "ipv6_addr", rawLines.Where(l => l.Contains(':')).ToArray())], interval: true, autoMerge: true));
        Row("interval set + auto-merge, `nft -f` of the raw overlapping list", rawLines.Length, [await LoadWithNftAsync(options.ClientNamespace, raw, deletes)], "1 run; nft merges itself");
        Row("delete table (each of the runs above)", 0, deletes, "");

        // 1,000,000 single addresses, for information.
        var singles = GenerateSingleAddresses(options.SingleAddresses, seed: 9);
        var singleText = TextTransaction([("v4", "ipv4_addr", singles), ("v6", "ipv6_addr", [])], interval: true);
        var singleHash = TextTransaction([("v4", "ipv4_addr", singles), ("v6", "ipv6_addr", [])], interval: false);
        var singleFile = Path.Combine(workDirectory, "singles.nft");
        await File.WriteAllTextAsync(singleFile, singleText);
        var none = new List<Timing>();
        Row($"{singles.Length:N0} single IPv4 addresses, interval set, NftClient text", singles.Length, [LoadInProcess(options.ClientNamespace, singleText, json: false, none)], "1 run");
        Row($"{singles.Length:N0} single IPv4 addresses, interval set, `nft -f`", singles.Length, [await LoadWithNftAsync(options.ClientNamespace, singleFile, none)], "1 run");
        Row($"{singles.Length:N0} single IPv4 addresses, hash set (no interval flag), NftClient text", singles.Length, [LoadInProcess(options.ClientNamespace, singleHash, json: false, none)], "1 run");

        Console.WriteLine($"## Kernel set load (client namespace), load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        Console.WriteLine("| what | elements | median | min–max | CPU user / sys (median run) | notes |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        foreach (var row in rows) Console.WriteLine(row);
        Console.WriteLine();
        Console.WriteLine($"- ratio NftClient text / `nft -f`: {Median(inProcessText) / Median(nftFile):0.00}; NftClient JSON / `nft -f`: {Median(inProcessJson) / Median(nftFile):0.00}");
        Console.WriteLine();
    }

    private static double Median(List<Timing> values) => values.Select(v => v.Wall).Order().ElementAt(values.Count / 2);

    /// <summary>Wall time and CPU seconds: user time is nft's own work (parsing, interval handling), sys time the kernel's (netlink batch, set insertion).</summary>
    internal readonly record struct Timing(double Wall, double User, double Sys);

    /// <summary>
    /// Deterministic netset lines shaped like real IP blocklists (FireHOL, Spamhaus): 80 % IPv4
    /// prefixes, mostly /32 and /24, some /16-/23 and /25-/31, a rare /12-/15; 10 % IPv6
    /// (/32-/128); 10 % overlapping an earlier IPv4 entry (a subnet inside it, or a supernet up to
    /// 2 bits wider, never wider than /16), which the merge folds away. Host bits are always clear.
    /// </summary>
    public static string[] GenerateCidrs(int count, int seed)
    {
        var random = new Random(seed);
        var lines = new string[count];
        var v4 = new List<(uint Address, int Prefix)>();
        for (var i = 0; i < count; i++)
        {
            var kind = random.Next(100);
            if (kind < 10)
            {
                var bytes = new byte[16];
                bytes[0] = 0x2a; bytes[1] = (byte)random.Next(16);
                random.NextBytes(bytes.AsSpan(2));
                var prefix = V6Prefixes[random.Next(V6Prefixes.Length)];
                lines[i] = $"{new IPAddress(Mask(bytes, prefix))}/{prefix}";
                continue;
            }
            (uint Address, int Prefix) entry;
            if (kind < 20 && v4.Count > 0)
            {
                var (address, prefix) = v4[random.Next(v4.Count)];
                entry = random.Next(2) == 0 && prefix < 32
                    ? (address | ((uint)random.Next() & HostMask(prefix)), Math.Min(32, prefix + random.Next(1, 9)))
                    : (address, Math.Max(16, prefix - random.Next(1, 3)));
            }
            else
            {
                var p = random.Next(1000);
                var prefix = p < 500 ? 32 : p < 800 ? 24 : p < 900 ? random.Next(16, 24) : p < 998 ? random.Next(25, 32) : random.Next(12, 16);
                entry = ((uint)random.Next(1, 224) << 24 | (uint)random.Next(1 << 24), prefix);
            }
            entry.Address &= ~HostMask(entry.Prefix);
            v4.Add(entry);
            lines[i] = entry.Prefix == 32 ? Format(entry.Address) : $"{Format(entry.Address)}/{entry.Prefix}";
        }
        return lines;
    }

    private static string[] GenerateSingleAddresses(int count, int seed)
    {
        var random = new Random(seed);
        var seen = new HashSet<uint>(count);
        while (seen.Count < count) seen.Add((uint)random.Next(1, 224) << 24 | (uint)random.Next(1 << 24));
        return [.. seen.Order().Select(Format)];
    }

    private static uint HostMask(int prefix) => prefix >= 32 ? 0 : uint.MaxValue >> prefix;

    private static string Format(uint address) => $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}";

    private static byte[] Mask(byte[] address, int prefix)
    {
        for (var bit = prefix; bit < address.Length * 8; bit++) address[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return address;
    }

    private static string TextTransaction(IEnumerable<(string Name, string Type, string[] Elements)> sets, bool interval, bool autoMerge = false)
    {
        var text = new StringBuilder($"add table inet {Table}\n");
        foreach (var (name, type, elements) in sets)
        {
            text.Append(CultureInfo.InvariantCulture, $"add set inet {Table} {name} {{ type {type}; {(interval ? "flags interval; " : "")}{(autoMerge ? "auto-merge; " : "")}}}\n");
            if (elements.Length == 0) continue;
            text.Append(CultureInfo.InvariantCulture, $"add element inet {Table} {name} {{ ");
            text.AppendJoin(", ", elements);
            text.Append(" }\n");
        }
        return text.ToString();
    }

    private static JsonObject JsonTransaction(IEnumerable<(string Name, string Type, string[] Elements)> sets)
    {
        var commands = new JsonArray { new JsonObject { ["add"] = new JsonObject { ["table"] = new JsonObject { ["family"] = "inet", ["name"] = Table } } } };
        foreach (var (name, type, elements) in sets)
        {
            commands.Add(new JsonObject { ["add"] = new JsonObject { ["set"] = new JsonObject { ["family"] = "inet", ["table"] = Table, ["name"] = name, ["type"] = type, ["flags"] = new JsonArray("interval") } } });
            if (elements.Length == 0) continue;
            var elem = new JsonArray();
            foreach (var e in elements)
            {
                var dash = e.IndexOf('-');
                var slash = e.IndexOf('/');
                elem.Add(dash > 0 ? new JsonObject { ["range"] = new JsonArray(e[..dash], e[(dash + 1)..]) }
                    : slash > 0 ? new JsonObject { ["prefix"] = new JsonObject { ["addr"] = e[..slash], ["len"] = int.Parse(e[(slash + 1)..], CultureInfo.InvariantCulture) } }
                    : JsonValue.Create(e));
            }
            commands.Add(new JsonObject { ["add"] = new JsonObject { ["element"] = new JsonObject { ["family"] = "inet", ["table"] = Table, ["name"] = name, ["elem"] = elem } } });
        }
        return new JsonObject { ["nftables"] = commands };
    }

    /// <summary>Seconds for one <see cref="NftClient.Run(string)"/> of the whole transaction in the namespace; the table is deleted afterwards (timed into <paramref name="deletes"/>).</summary>
    private static Timing LoadInProcess(string ns, string commands, bool json, List<Timing> deletes) => NetworkNamespaceScope.Run(ns, () =>
    {
        using var nft = new NftClient(json);
        using var self = Process.GetCurrentProcess();
        var (user, sys) = (self.UserProcessorTime, self.PrivilegedProcessorTime);
        var watch = Stopwatch.StartNew();
        nft.Run(commands);
        var seconds = watch.Elapsed.TotalSeconds;
        self.Refresh();
        var timing = new Timing(seconds, (self.UserProcessorTime - user).TotalSeconds, (self.PrivilegedProcessorTime - sys).TotalSeconds);
        watch.Restart();
        nft.Run($"delete table inet {Table}");
        deletes.Add(new Timing(watch.Elapsed.TotalSeconds, 0, 0));
        return timing;
    });

    private static async Task<Timing> LoadWithNftAsync(string ns, string file, List<Timing> deletes)
    {
        var watch = Stopwatch.StartNew();
        var error = await NftToolAsync(ns, "-f", file);
        var seconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        await NftToolAsync(ns, "delete", "table", "inet", Table);
        deletes.Add(new Timing(watch.Elapsed.TotalSeconds, 0, 0));
        // GNU time's last stderr line: "cpu USER SYS".
        var cpu = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal))?.Split(' ');
        return cpu is { Length: 3 }
            ? new Timing(seconds, double.Parse(cpu[1], CultureInfo.InvariantCulture), double.Parse(cpu[2], CultureInfo.InvariantCulture))
            : new Timing(seconds, 0, 0);
    }

    private static async Task<string> NftToolAsync(string ns, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, "timeout", "600", "/usr/bin/time", "-f", "cpu %U %S", "nft", .. args]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("could not start `ip netns exec ... nft`");
        var error = await p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"`nft {string.Join(' ', args)}` in {ns} failed ({p.ExitCode}): {error.Trim()[..Math.Min(500, error.Trim().Length)]}");
        return error;
    }
}
