using System.Text;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class DockerConfigParserTests
{
    [Fact]
    public void Name_without_the_leading_slash()
    {
        var json = """{"StreamConfig":{},"State":{"Running":true,"Pid":4321},"ID":"3f4e","Config":{"Hostname":"3f4e","Env":["A=B"],"Labels":{"Name":"not this"}},"Name":"/web-1","RestartCount":0}""";
        Assert.True(DockerConfigParser.TryGetName(Encoding.UTF8.GetBytes(json), out var name));
        Assert.Equal("web-1", name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"Name\":5}")]
    [InlineData("{\"Name\":\"/\"}")]
    [InlineData("{\"Other\":\"x\"}")]
    [InlineData("not json")]
    public void No_name_in_malformed_or_unexpected_json(string json) =>
        Assert.False(DockerConfigParser.TryGetName(Encoding.UTF8.GetBytes(json), out _));
}
