using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Outgate.Linux.Netlink;
using Outgate.Linux.Nftables;
using Outgate.Testing;

namespace Outgate.Linux.Tests.Nftables;

/// <summary>
/// <see cref="NftSetElementWriter"/> against the kernel, in a namespace of its own with a table
/// <c>inet og</c> holding an IPv4 and an IPv6 timeout set and a rule that counts lookups in them.
/// </summary>
public class NftSetElementWriterKernelTests
{
    private const string Ruleset = """
        table inet og {
          set v4 { type ipv4_addr; flags timeout; }
          set v6 { type ipv6_addr; flags timeout; }
          set plain { type ipv4_addr; }
          chain output {
            type filter hook output priority filter; policy accept;
            ip daddr @v4 counter accept
            ip daddr 10.99.0.0/16 counter drop
          }
        }

        """;

    private static readonly NftSetId V4 = new("inet", "og", "v4");
    private static readonly NftSetId V6 = new("inet", "og", "v6");

    private static async Task<NetworkNamespace> CreateAsync()
    {
        NetworkNamespace.SkipUnlessRoot();
        var ns = await NetworkNamespace.CreateAsync("sw");
        try
        {
            var load = await Shell.RunAsync("ip", ["netns", "exec", ns.Name, "nft", "-f", "-"], Ruleset);
            Assert.True(load.ExitCode == 0, load.ToString());
            // Traffic to 10.99/16 is routed out of a veth with nobody behind it (no dummy module here):
            // it passes the output hook, then waits for an ARP answer that never comes.
            await ns.ExecCheckedAsync("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1");
            await ns.ExecCheckedAsync("ip", "link", "set", "d1", "up");
            await ns.ExecCheckedAsync("ip", "link", "set", "d0", "up");
            await ns.ExecCheckedAsync("ip", "route", "add", "10.99.0.0/16", "dev", "d0");
            return ns;
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
    }

    /// <summary>Address to (timeout, expires) in whole seconds, as <c>nft -j list set</c> prints them.</summary>
    private static async Task<Dictionary<string, (long Timeout, long Expires)>> ElementsAsync(NetworkNamespace ns, NftSetId set)
    {
        var listing = await ns.ExecCheckedAsync("nft", "-j", "list", "set", set.Table.Family, set.Table.Name, set.Name);
        var result = new Dictionary<string, (long, long)>();
        foreach (var item in JsonNode.Parse(listing.StdOut)!["nftables"]!.AsArray())
            if (item?["set"]?["elem"] is JsonArray elements)
                foreach (var e in elements)
                {
                    var elem = e!["elem"]!;
                    result[(string)elem["val"]!] = ((long?)elem["timeout"] ?? 0, (long?)elem["expires"] ?? 0);
                }
        return result;
    }

    [Fact]
    public async Task Element_added_with_a_one_second_timeout_disappears_after_it_expires()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name);
        var result = writer.Add(V4, IPAddress.Parse("10.99.0.1"), TimeSpan.FromSeconds(1));
        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("10.99.0.1", (await ElementsAsync(ns, V4)).Keys);

        var deadline = Environment.TickCount64 + 10_000;
        while ((await ElementsAsync(ns, V4)).ContainsKey("10.99.0.1") && Environment.TickCount64 < deadline)
            await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.DoesNotContain("10.99.0.1", (await ElementsAsync(ns, V4)).Keys);
    }

    [Fact]
    public async Task Re_adding_extends_the_timeout_and_a_shorter_one_never_shortens_it()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name);
        var address = IPAddress.Parse("10.99.0.2");
        Assert.True(writer.Add(V4, address, TimeSpan.FromSeconds(2)).Succeeded);
        Assert.True(writer.Add(V4, address, TimeSpan.FromSeconds(300)).Succeeded);
        Assert.InRange((await ElementsAsync(ns, V4))["10.99.0.2"].Expires, 200, 300);

        // A later answer with a short TTL: the writer keeps the later expiry.
        Assert.True(writer.Add(V4, address, TimeSpan.FromSeconds(1)).Succeeded);
        Assert.InRange((await ElementsAsync(ns, V4))["10.99.0.2"].Expires, 200, 300);

        // A fresh writer (no memory) shows what the kernel alone does: add of an existing element sets its timeout.
        using var forgetful = new NftSetElementWriter(ns.Name, maxRememberedExpiries: 0);
        Assert.True(forgetful.Add(V4, address, TimeSpan.FromSeconds(30)).Succeeded);
        Assert.InRange((await ElementsAsync(ns, V4))["10.99.0.2"].Expires, 1, 30);
    }

    [Fact]
    public async Task Expired_and_timeout_less_elements_already_in_the_set_never_fail_a_batch()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name, maxRememberedExpiries: 0);
        Assert.True(writer.Add(V4, IPAddress.Parse("10.99.0.20"), TimeSpan.FromMilliseconds(300)).Succeeded);
        await ns.ExecCheckedAsync("nft", "add", "element", "inet", "og", "v4", "{ 10.99.0.21 }"); // no timeout: permanent
        await Task.Delay(600, TestContext.Current.CancellationToken); // .20 expired; the GC may not have run yet

        var result = writer.Add([
            new(V4, IPAddress.Parse("10.99.0.20"), TimeSpan.FromSeconds(60)),
            new(V4, IPAddress.Parse("10.99.0.21"), TimeSpan.FromSeconds(60)),
            new(V4, IPAddress.Parse("10.99.0.22"), TimeSpan.FromSeconds(60)),
        ]);
        Assert.True(result.Succeeded, result.ToString());
        var elements = await ElementsAsync(ns, V4);
        Assert.InRange(elements["10.99.0.20"].Expires, 30, 60);
        Assert.InRange(elements["10.99.0.21"].Expires, 30, 60); // the update gave it a timeout
        Assert.InRange(elements["10.99.0.22"].Expires, 30, 60);
    }

    [Fact]
    public async Task An_IPv4_mapped_IPv6_address_goes_into_the_IPv4_set()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name);
        Assert.True(writer.Add(V4, IPAddress.Parse("::ffff:10.99.0.30"), TimeSpan.FromSeconds(60)).Succeeded);
        Assert.Contains("10.99.0.30", (await ElementsAsync(ns, V4)).Keys);
    }

    [Fact]
    public async Task An_element_removed_behind_the_writers_back_is_added_again()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name);
        var address = IPAddress.Parse("10.99.0.3");
        Assert.True(writer.Add(V4, address, TimeSpan.FromSeconds(300)).Succeeded);
        await ns.ExecCheckedAsync("nft", "flush", "set", "inet", "og", "v4");
        Assert.True(writer.Add(V4, address, TimeSpan.FromSeconds(10)).Succeeded);
        Assert.InRange((await ElementsAsync(ns, V4))["10.99.0.3"].Expires, 200, 300);
    }

    [Fact]
    public async Task Missing_sets_and_tables_are_reported_per_set_and_the_other_sets_are_written()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name);
        var missingSet = new NftSetId("inet", "og", "nope");
        var missingTable = new NftSetId("inet", "absent", "v4");
        var plain = new NftSetId("inet", "og", "plain"); // no flags timeout
        var result = writer.Add([
            new(V4, IPAddress.Parse("10.99.0.4"), TimeSpan.FromSeconds(60)),
            new(missingSet, IPAddress.Parse("10.99.0.5"), TimeSpan.FromSeconds(60)),
            new(V6, IPAddress.Parse("fd00:99::4"), TimeSpan.FromSeconds(60)),
            new(missingTable, IPAddress.Parse("10.99.0.6"), TimeSpan.FromSeconds(60)),
            new(plain, IPAddress.Parse("10.99.0.7"), TimeSpan.FromSeconds(60)),
            new(V4, IPAddress.Parse("fd00:99::5"), TimeSpan.FromSeconds(60)), // IPv6 into an IPv4 set
        ]);
        TestContext.Current.TestOutputHelper?.WriteLine(result.ToString());
        Assert.Equal(2, result.Written);
        Assert.Equal(4, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Set == missingSet && e.ErrnoName == "ENOENT" && e.Message.Contains("does not exist"));
        Assert.Contains(result.Errors, e => e.Set == missingTable && e.ErrnoName == "ENOENT");
        Assert.Contains(result.Errors, e => e.Set == plain && e.Errno != 0);
        Assert.Contains(result.Errors, e => e.Set == V4 && e.Message.Contains("IPv6"));
        Assert.Contains("10.99.0.4", (await ElementsAsync(ns, V4)).Keys);
        Assert.Contains("fd00:99::4", (await ElementsAsync(ns, V6)).Keys);
    }

    [Fact]
    public async Task A_rule_finds_the_address_as_soon_as_Add_returns()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name);
        using var socket = NetworkNamespaceScope.Run(ns.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        const int count = 200;
        for (var i = 0; i < count; i++)
        {
            var address = IPAddress.Parse($"10.99.{1 + i / 250}.{1 + i % 250}");
            Assert.True(writer.Add(V4, address, TimeSpan.FromSeconds(60)).Succeeded);
            socket.SendTo([1, 2, 3], new IPEndPoint(address, 9)); // the output hook runs inside sendto
        }
        var chain = (await ns.ExecCheckedAsync("nft", "list", "chain", "inet", "og", "output")).StdOut;
        Assert.Matches($@"ip daddr @v4 counter packets {count} ", chain);
        Assert.Matches(@"10\.99\.0\.0/16 counter packets 0 ", chain);
    }

    [Fact]
    public async Task Remove_and_Flush_take_elements_out_and_removing_an_absent_one_is_no_error()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name);
        var a = IPAddress.Parse("10.99.0.8");
        var b = IPAddress.Parse("10.99.0.9");
        Assert.True(writer.Add([new(V4, a, TimeSpan.FromSeconds(60)), new(V4, b, TimeSpan.FromSeconds(60))]).Succeeded);
        var removed = writer.Remove([new(V4, a, default), new(V4, IPAddress.Parse("10.99.0.10"), default)]);
        Assert.True(removed.Succeeded, removed.ToString());
        Assert.Equal(["10.99.0.9"], (await ElementsAsync(ns, V4)).Keys);
        Assert.True(writer.Flush(V4).Succeeded);
        Assert.Empty(await ElementsAsync(ns, V4));
        Assert.False(writer.Flush(new NftSetId("inet", "og", "nope")).Succeeded);
    }

    [Fact]
    public async Task Large_batches_are_split_into_transactions_and_all_elements_land()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name);
        var elements = Enumerable.Range(0, 10_000)
            .Select(i => new NftSetElement(V4, new IPAddress([10, 100, (byte)(i >> 8), (byte)i]), TimeSpan.FromSeconds(60)))
            .ToList();
        var result = writer.Add(elements);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(10_000, result.Written);
        Assert.True(result.Transactions > 1);
        Assert.Equal(10_000, (await ElementsAsync(ns, V4)).Count);
        TestContext.Current.TestOutputHelper?.WriteLine($"10,000 IPv4 elements: {writer.LastWriteTime.TotalMilliseconds:0.0} ms in {result.Transactions} transactions");
    }

    /// <summary>Measures; asserts nothing about time (the numbers go to the test output).</summary>
    [Fact]
    public async Task Measures_microseconds_per_batch_of_1_10_and_100_elements()
    {
        await using var ns = await CreateAsync();
        using var writer = new NftSetElementWriter(ns.Name);
        var output = TestContext.Current.TestOutputHelper;
        var next = 0;
        foreach (var size in (int[])[1, 10, 100])
        {
            const int rounds = 300;
            var samples = new double[rounds];
            for (var round = 0; round < rounds; round++)
            {
                var batch = new NftSetElement[size];
                for (var i = 0; i < size; i++, next++)
                    batch[i] = new NftSetElement(V4, new IPAddress([10, 101, (byte)(next >> 8), (byte)next]), TimeSpan.FromSeconds(60));
                var watch = Stopwatch.StartNew();
                var result = writer.Add(batch);
                samples[round] = watch.Elapsed.TotalMicroseconds;
                Assert.True(result.Succeeded, result.ToString());
            }
            Array.Sort(samples);
            var line = $"batch of {size,3}: p50 {samples[rounds / 2]:0} µs, p90 {samples[rounds * 9 / 10]:0} µs, p99 {samples[rounds * 99 / 100]:0} µs ({rounds} rounds, new elements each)";
            output?.WriteLine(line);
            Console.WriteLine(line);
        }
        // Refreshing existing elements (the common case for repeated DNS answers).
        var refresh = Enumerable.Range(0, 10).Select(i => new NftSetElement(V4, new IPAddress([10, 101, 0, (byte)i]), TimeSpan.FromSeconds(120))).ToArray();
        var times = new double[300];
        for (var r = 0; r < times.Length; r++)
        {
            var watch = Stopwatch.StartNew();
            Assert.True(writer.Add(refresh).Succeeded);
            times[r] = watch.Elapsed.TotalMicroseconds;
        }
        Array.Sort(times);
        var refreshLine = $"refresh of 10 existing: p50 {times[150]:0} µs, p99 {times[297]:0} µs";
        output?.WriteLine(refreshLine);
        Console.WriteLine(refreshLine);

        // For comparison: the same batches as nft text through libnftables (NftClient), in the namespace.
        var text = NetworkNamespaceScope.Run(ns.Name, () =>
        {
            using var nft = new NftClient(json: false);
            var lines = new List<string>();
            foreach (var size in (int[])[1, 10, 100])
            {
                var samples = new double[100];
                for (var round = 0; round < samples.Length; round++)
                {
                    var elements = string.Join(", ", Enumerable.Range(0, size).Select(i => $"10.102.{round}.{i} timeout 60s"));
                    var watch = Stopwatch.StartNew();
                    nft.Run($"add element inet og v4 {{ {elements} }}");
                    samples[round] = watch.Elapsed.TotalMicroseconds;
                }
                Array.Sort(samples);
                lines.Add($"libnftables text, batch of {size,3}: p50 {samples[50]:0} µs, p99 {samples[99]:0} µs (100 rounds)");
            }
            return lines;
        });
        foreach (var line in text)
        {
            output?.WriteLine(line);
            Console.WriteLine(line);
        }
    }
}
