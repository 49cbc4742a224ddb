using Microsoft.AspNetCore.Http;

namespace Outgate.Daemon.Web;

/// <summary>
/// What a <see cref="DashboardRole.Viewer"/> session may request: GET (and HEAD) of the pages and the endpoints
/// below, nothing else. Deny by default: an endpoint added later stays closed to viewers until it is listed here,
/// so a new state-changing GET (there should be none) or a POST can never slip through.
/// </summary>
public static class ViewerAllowList
{
    /// <summary>Exact paths a viewer may GET.</summary>
    private static readonly HashSet<string> Exact = new(StringComparer.Ordinal)
    {
        "/v1/status",           // mode, health, counters
        "/v1/events",           // the log
        "/v1/events/stream",    // the live view (SSE)
        "/v1/dns/names",
        "/v1/traffic",          // outgate top
        "/v1/alerts",           // the list (acknowledging is a POST)
        "/v1/prompts",          // the list (answering is a POST)
        "/v1/explain",          // why a connection was decided so
        "/v1/rules",            // the list (editing is a POST or DELETE)
        "/v1/policy/propose",   // the proposals list (accepting one is a POST /v1/rules)
    };

    /// <summary>Path prefixes (followed by '/') whose GETs are all read-only.</summary>
    private static readonly string[] Prefixes = ["/v1/stats/", "/v1/fleet/"];

    /// <summary>A sentence for error messages and docs.</summary>
    public const string Description =
        "viewers may only read: GET /v1/status, /v1/events (and /stream), /v1/dns/names, /v1/traffic, /v1/stats/*, /v1/alerts, " +
        "/v1/prompts, /v1/explain, /v1/rules, /v1/policy/propose, /v1/fleet/*";

    /// <summary>True when a viewer session may send <paramref name="method"/> to <paramref name="path"/>.</summary>
    public static bool Allows(string method, string path)
    {
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method)) return false;
        if (Exact.Contains(path)) return true;
        foreach (var prefix in Prefixes)
        {
            // "/v1/fleet/hosts" yes; "/v1/fleet/" alone or "/v1/fleet/a/../b" (Kestrel normalises dot segments anyway) no.
            if (path.Length > prefix.Length && path.StartsWith(prefix, StringComparison.Ordinal) && !path.Contains("/.", StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
