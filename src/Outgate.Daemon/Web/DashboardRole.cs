namespace Outgate.Daemon.Web;

/// <summary>What a dashboard session may do, decided by which token it logged in with.</summary>
public enum DashboardRole
{
    /// <summary>The token in <c>STATE_DIR/dashboard-token</c>: everything the unix socket's root/outgate group may do.</summary>
    Admin,

    /// <summary>
    /// The token in <c>STATE_DIR/dashboard-viewer-token</c>: pages and the read-only endpoints of
    /// <see cref="ViewerAllowList"/>; every state-changing request is refused.
    /// </summary>
    Viewer,
}
