namespace Outgate.Linux.Netlink;

/// <summary>Receives each data message of a netlink reply (not NLMSG_DONE/ERROR/NOOP); the span is only valid during the call.</summary>
public delegate void NetlinkReplyHandler<TState>(in NetlinkMessage message, TState state);
