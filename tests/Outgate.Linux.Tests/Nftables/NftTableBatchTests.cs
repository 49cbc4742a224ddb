using System.Text.Json.Nodes;
using Outgate.Linux.Nftables;

namespace Outgate.Linux.Tests.Nftables;

public class NftTableBatchTests
{
    private static readonly NftTableId Outgate = new("inet", "outgate");

    [Fact]
    public void Replace_starts_with_add_and_delete_of_the_table_then_the_content()
    {
        var batch = NftTableBatch.Replace(Outgate, JsonNode.Parse("""{"nftables":[{"add":{"chain":{"family":"inet","table":"outgate","name":"output"}}}]}""")!);
        var items = batch["nftables"]!.AsArray();
        Assert.Equal("""{"add":{"table":{"family":"inet","name":"outgate"}}}""", items[0]!.ToJsonString());
        Assert.Equal("""{"delete":{"table":{"family":"inet","name":"outgate"}}}""", items[1]!.ToJsonString());
        Assert.Equal("output", (string?)items[2]!["add"]!["chain"]!["name"]);
        Assert.Equal(3, items.Count);
    }

    [Fact]
    public void A_listing_becomes_content_without_metainfo_and_handles()
    {
        const string listing = """
            {"nftables":[{"metainfo":{"version":"1.0.6"}},{"table":{"family":"inet","name":"outgate","handle":7}},
             {"rule":{"family":"inet","table":"outgate","chain":"output","handle":3,"expr":[{"accept":null}]}}]}
            """;
        var content = NftTableBatch.ContentFromListing(listing, Outgate);
        Assert.Equal(2, content.Count);
        Assert.DoesNotContain("handle", content.ToJsonString());
        Assert.DoesNotContain("metainfo", content.ToJsonString());
    }

    [Theory]
    [InlineData("""{"nftables":[{"add":{"rule":{"family":"ip","table":"filter","chain":"OUTPUT","expr":[]}}}]}""")]
    [InlineData("""{"nftables":[{"table":{"family":"inet","name":"other"}}]}""")]
    [InlineData("""{"nftables":[{"flush":{"table":{"family":"inet","name":"docker"}}}]}""")]
    [InlineData("""{"nftables":[{"flush":{"ruleset":null}}]}""")]
    [InlineData("""{"nftables":[{"list":{"ruleset":null}}]}""")]
    [InlineData("""{"nftables":[{"add":{"chain":{"family":"inet","table":"outgate","name":"a"},"rule":{"family":"ip","table":"filter"}}}]}""")]
    public void Anything_for_another_table_is_refused(string json) =>
        Assert.Throws<ArgumentException>(() => NftTableBatch.Replace(Outgate, JsonNode.Parse(json)!));

    [Theory]
    [InlineData("inet", "out gate")]
    [InlineData("inet", "x;flush ruleset")]
    [InlineData("inet6", "outgate")]
    [InlineData("inet", "")]
    public void Table_names_that_could_inject_commands_are_refused(string family, string name) =>
        Assert.Throws<ArgumentException>(() => new NftTableId(family, name));
}
