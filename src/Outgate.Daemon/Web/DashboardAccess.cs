namespace Outgate.Daemon.Web;

/// <summary>
/// Request feature set by <see cref="DashboardGateMiddleware"/> when a TCP request passed the dashboard's
/// checks (Host, session, CSRF) or is the exempt <c>GET /metrics</c>; <see cref="Api.PeerAccessMiddleware"/>
/// lets such requests through instead of asking for unix-socket credentials. <see cref="Session"/> is null for /metrics.
/// </summary>
public sealed record DashboardAccess(DashboardSession? Session);
