using System.Net;

namespace Outgate.Linux.Nftables;

/// <summary>
/// One address for an address set (<c>type ipv4_addr</c> or <c>ipv6_addr</c>, <c>flags timeout</c>),
/// living <see cref="Timeout"/> from the moment it is written. An IPv4-mapped IPv6 address is
/// written as IPv4. <see cref="Timeout"/> is rounded up to whole milliseconds (the kernel's unit);
/// it is ignored by <see cref="NftSetElementWriter.Remove"/>.
/// </summary>
public readonly record struct NftSetElement(NftSetId Set, IPAddress Address, TimeSpan Timeout);
