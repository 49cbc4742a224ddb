namespace Outgate.Daemon.Web;

/// <summary>
/// The dashboard's two login secrets: <see cref="Admin"/> (<c>STATE_DIR/dashboard-token</c>, made at start) and
/// <see cref="Viewer"/> (<c>STATE_DIR/dashboard-viewer-token</c>, made the first time <c>outgate dashboard --viewer</c>
/// asks for it, so a daemon nobody shares has no read-only login at all). Both are written the same way (0600, root).
/// </summary>
public sealed class DashboardTokens(DashboardToken admin, DashboardToken viewer)
{
    public const string ViewerFileName = "dashboard-viewer-token";

    public DashboardToken Admin { get; } = admin;

    public DashboardToken Viewer { get; } = viewer;

    public DashboardToken For(DashboardRole role) => role == DashboardRole.Viewer ? Viewer : Admin;

    /// <summary>The role <paramref name="candidate"/> logs in as, or null. Both tokens are compared every time (constant time each).</summary>
    public DashboardRole? RoleOf(string? candidate)
    {
        var admin = Admin.Matches(candidate);
        var viewer = Viewer.Matches(candidate);
        return admin ? DashboardRole.Admin : viewer ? DashboardRole.Viewer : null;
    }
}
