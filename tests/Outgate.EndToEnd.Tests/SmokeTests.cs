namespace Outgate.EndToEnd.Tests;

public class SmokeTests
{
    [Fact]
    public void Test_project_runs() => Assert.True(true);
}
