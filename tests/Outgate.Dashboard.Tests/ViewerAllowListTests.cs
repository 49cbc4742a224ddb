using Outgate.Daemon.Web;

namespace Outgate.Dashboard.Tests;

/// <summary>What a read-only (viewer) dashboard session may request: listed GETs only, deny by default.</summary>
public sealed class ViewerAllowListTests
{
    [Theory]
    [InlineData("GET", "/v1/status")]
    [InlineData("GET", "/v1/events")]
    [InlineData("GET", "/v1/events/stream")]
    [InlineData("HEAD", "/v1/status")]
    [InlineData("GET", "/v1/traffic")]
    [InlineData("GET", "/v1/stats/top")]
    [InlineData("GET", "/v1/stats/destinations")]
    [InlineData("GET", "/v1/alerts")]
    [InlineData("GET", "/v1/prompts")]
    [InlineData("GET", "/v1/explain")]
    [InlineData("GET", "/v1/rules")]
    [InlineData("GET", "/v1/policy/propose")]
    [InlineData("GET", "/v1/fleet/status")]
    [InlineData("GET", "/v1/fleet/hosts")]
    [InlineData("GET", "/v1/fleet/search")]
    public void Read_only_endpoints_are_open_to_viewers(string method, string path) =>
        Assert.True(ViewerAllowList.Allows(method, path), $"{method} {path}");

    [Theory]
    [InlineData("POST", "/v1/mode")]
    [InlineData("POST", "/v1/rules")]
    [InlineData("DELETE", "/v1/rules/1")]
    [InlineData("POST", "/v1/alerts/ack-all")]
    [InlineData("POST", "/v1/alerts/7/ack")]
    [InlineData("POST", "/v1/prompts/3/answer")]
    [InlineData("POST", "/v1/policy/reload")]
    [InlineData("POST", "/v1/policy/simulate")]
    [InlineData("PUT", "/v1/status")]
    [InlineData("PATCH", "/v1/rules")]
    [InlineData("OPTIONS", "/v1/status")]
    [InlineData("POST", "/v1/fleet/hosts")]         // a listed path, but not with this method
    [InlineData("GET", "/v1/dashboard")]            // the tokens: unix socket only anyway
    [InlineData("GET", "/v1/dashboard/viewer")]
    [InlineData("GET", "/v1/something-added-later")] // deny by default
    [InlineData("GET", "/v1/fleet/")]
    [InlineData("GET", "/v1/stats")]
    [InlineData("GET", "/v1/statusx")]
    [InlineData("GET", "/v1/fleet/../mode")]
    public void Everything_else_is_refused(string method, string path) =>
        Assert.False(ViewerAllowList.Allows(method, path), $"{method} {path}");
}
