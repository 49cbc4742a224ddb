using System.Net;
using Outgate.Linux.Nftables;

namespace Outgate.Linux.Tests.Nftables;

/// <summary>The writer's checks that need no kernel transaction (opening a netlink socket needs no privilege).</summary>
public class NftSetElementWriterTests
{
    [Fact]
    public void A_timeout_that_is_not_positive_is_refused_naming_the_address_and_the_set()
    {
        using var writer = new NftSetElementWriter();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            writer.Add(new NftSetId("inet", "og", "v4"), IPAddress.Parse("10.0.0.1"), TimeSpan.Zero));
        Assert.Contains("10.0.0.1", error.Message);
        Assert.Contains("inet og v4", error.Message);
    }

    [Fact]
    public void Set_names_are_validated_like_table_names()
    {
        Assert.Throws<ArgumentException>(() => new NftSetId("inet", "og", "bad name"));
        Assert.Throws<ArgumentException>(() => new NftSetId("inetx", "og", "v4"));
        Assert.Equal("inet og v4", new NftSetId("inet", "og", "v4").ToString());
    }

    [Theory]
    [InlineData("inet", 1)]
    [InlineData("ip", 2)]
    [InlineData("ip6", 10)]
    [InlineData("bridge", 7)]
    [InlineData("netdev", 5)]
    public void Families_map_to_their_NFPROTO_numbers(string family, byte number) =>
        Assert.Equal(number, NftSetElementWriter.FamilyNumber(family));

    [Fact]
    public void An_empty_batch_writes_nothing_and_sends_nothing()
    {
        using var writer = new NftSetElementWriter();
        var result = writer.Add([]);
        Assert.True(result.Succeeded);
        Assert.Equal((0, 0), (result.Written, result.Transactions));
    }
}
