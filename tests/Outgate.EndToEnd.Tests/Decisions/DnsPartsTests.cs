using System.Net;
using Microsoft.Extensions.Time.Testing;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Dns;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Decisions;

/// <summary>The daemon's DNS parts that need no kernel: the name book, connection tags, resolver config, alert flood control.</summary>
public sealed class DnsPartsTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-11-26T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Names_expire_each_with_its_own_answer_and_the_newest_comes_first()
    {
        var time = new FakeTimeProvider(T0);
        var book = new NameBook(time);
        var a = IPAddress.Parse("10.0.0.5");
        Assert.Null(book.Lookup(a).Names);
        book.Remember(a, ["www.example.test", "edge.cdn.test"], T0.AddSeconds(5));
        var first = book.Lookup(a);
        Assert.Equal(["www.example.test", "edge.cdn.test"], first.Names);
        Assert.Equal("www.example.test", first.Domain);
        book.Remember(a, ["other.test"], T0.AddSeconds(60));
        var second = book.Lookup(a);
        Assert.Equal("other.test", second.Domain);
        Assert.NotEqual(first.Version, second.Version);
        Assert.Equal(T0.AddSeconds(60), second.Expires);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["other.test"], book.Lookup(a).Names);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(book.Lookup(a).Names);
        Assert.Empty(book.Live());
        Assert.Single(book.Live(NameBook.DisplayRetention)); // still shown for connections made while it was valid
        time.Advance(NameBook.DisplayRetention);
        book.Prune(time.GetUtcNow());
        Assert.Equal(0, book.Count);
    }

    [Fact]
    public void Ipv4_mapped_addresses_are_the_same_address()
    {
        var book = new NameBook(new FakeTimeProvider(T0));
        book.Remember(IPAddress.Parse("::ffff:10.1.2.3"), ["mapped.test"], T0.AddMinutes(1));
        Assert.Equal("mapped.test", book.Lookup(IPAddress.Parse("10.1.2.3")).Domain);
    }

    [Fact]
    public void The_book_stays_within_its_capacity_dropping_what_expires_first()
    {
        var time = new FakeTimeProvider(T0);
        var book = new NameBook(time, capacity: 100);
        for (var i = 0; i < 300; i++)
            book.Remember(new IPAddress(0x0A000000u + (uint)i), [$"n{i}.test"], T0.AddSeconds(10 + i));
        Assert.True(book.Count <= 100 + 1, $"count {book.Count}");
        // The longest-lived answers survive.
        Assert.NotNull(book.Lookup(new IPAddress(0x0A000000u + 299u)).Names);
    }

    [Fact]
    public void A_host_with_hundreds_of_names_keeps_a_bounded_list()
    {
        var book = new NameBook(new FakeTimeProvider(T0));
        var a = IPAddress.Parse("192.0.2.9");
        for (var i = 0; i < 100; i++) book.Remember(a, [$"site{i}.test"], T0.AddMinutes(1));
        Assert.Equal(NameBook.MaxNamesPerAddress, book.Lookup(a).Names!.Count);
        Assert.Equal("site99.test", book.Lookup(a).Domain);
    }

    [Theory]
    [InlineData("203.0.113.7", 443, 6, false, "no-dns")]
    [InlineData("203.0.113.7", 443, 6, true, null)]
    [InlineData("203.0.113.7", 53, 17, false, null)]   // the resolver itself is never resolved
    [InlineData("127.0.0.1", 8080, 6, false, null)]
    [InlineData("169.254.169.254", 80, 6, false, null)]
    [InlineData("fe80::1", 80, 6, false, null)]
    [InlineData("224.0.0.251", 5353, 17, false, null)]
    [InlineData("203.0.113.7", 853, 6, false, "dot")]
    [InlineData("203.0.113.7", 853, 6, true, "dot")]
    public void Connections_are_tagged_by_what_dns_said(string address, int port, int proto, bool resolved, string? expected)
    {
        IReadOnlyList<string>? names = resolved ? ["svc.example.test"] : null;
        Assert.Equal(expected, ConnectionTags.For(IPAddress.Parse(address), port, proto, names));
    }

    [Fact]
    public void Resolver_lines_are_read_like_glibc_reads_them()
    {
        var set = ResolverConfig.Parse([
            "# comment", "nameserver 10.0.0.53", "nameserver\tfe80::1%eth0", "nameserver not-an-address", "search example.test",
            "  nameserver 2001:db8::53  ", "nameserver",
        ]);
        Assert.Equal(3, set.Count);
        Assert.Contains(IPAddress.Parse("10.0.0.53"), set);
        Assert.Contains(IPAddress.Parse("fe80::1"), set);
        Assert.Contains(IPAddress.Parse("2001:db8::53"), set);
    }

    [Fact]
    public void A_decision_made_before_a_lookup_is_not_reused_after_it()
    {
        var cache = new DecisionCache();
        var p = new ProcessFacts { Pid = 7, ExecutablePath = "/usr/bin/python3.11", Uid = 0 };
        var before = DecisionKey.Of(p, 0x0A000002, 8080, 6, false, 2, namesVersion: 0);
        cache.Add(before, 1, 2, new ConnectionDecision(AppVerdict.Deny, "reject", "default", false, null, []));
        Assert.False(cache.TryGet(before with { NamesVersion = 5 }, 1, 2, T0, out _));
    }
}
