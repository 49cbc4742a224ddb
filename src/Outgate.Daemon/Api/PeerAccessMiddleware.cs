using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Options;
using Outgate.Daemon.Unix;

namespace Outgate.Daemon.Api;

/// <summary>
/// Lets only root and members of the access group (default "outgate") use the API: the peer's
/// credentials come from the kernel (SO_PEERCRED, SO_PEERGROUPS), never from the request. Others
/// get 403 with the command that grants access. The credentials are left in the request's features
/// (<see cref="PeerCredentials"/>) for handlers that record who did something.
/// </summary>
public sealed partial class PeerAccessMiddleware(RequestDelegate next, DaemonOptions options, GroupDatabase groups, ILogger<PeerAccessMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The dashboard's TCP requests were checked by DashboardGateMiddleware (session, CSRF, Host); only it sets this.
        if (context.Features.Get<Web.DashboardAccess>() is not null && Web.DashboardListener.IsTcp(context.Connection))
        {
            await next(context);
            return;
        }
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || !PeerCredentialReader.TryRead(socket, out var peer) || peer is null)
        {
            LogNoCredentials(logger, context.Connection.Id);
            await ApiResults.WriteAsync(context, StatusCodes.Status403Forbidden,
                new ErrorResponse("permission denied: the daemon could not identify the caller (not a unix socket connection)"));
            return;
        }

        var gid = groups.FindGroupId(options.AccessGroup);
        if (!peer.IsRoot && !(gid is { } g && peer.IsInGroup(g)))
        {
            var user = groups.FindUserName(peer.Uid) ?? peer.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            LogDenied(logger, peer.Pid, peer.Uid, context.Request.Method, context.Request.Path);
            await ApiResults.WriteAsync(context, StatusCodes.Status403Forbidden, new ErrorResponse(
                $"permission denied: user {user} (uid {peer.Uid}) is not root and not in the {options.AccessGroup} group",
                gid is null
                    ? $"create the group and add yourself to it: sudo groupadd --system {options.AccessGroup} && sudo usermod -aG {options.AccessGroup} $USER, restart outgated, then log in again (or use sudo)"
                    : $"add yourself to the {options.AccessGroup} group: sudo usermod -aG {options.AccessGroup} $USER (then log in again), or use sudo"));
            return;
        }

        context.Features.Set(peer);
        await next(context);
    }
}
