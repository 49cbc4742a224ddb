namespace Outgate.Daemon.Web;

/// <summary>How a <see cref="DashboardRole"/> is named in JSON (<c>GET /session</c>, <c>GET /v1/dashboard[/viewer]</c>) and in logs.</summary>
public static class DashboardRoles
{
    /// <summary>"admin" or "viewer".</summary>
    public static string ToName(this DashboardRole role) => role == DashboardRole.Viewer ? "viewer" : "admin";
}
