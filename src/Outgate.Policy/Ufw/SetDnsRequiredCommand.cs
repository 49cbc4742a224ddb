namespace Outgate.Policy;

/// <summary><c>dns-required on|off</c> (see <see cref="FirewallPolicy.DnsRequired"/>).</summary>
public sealed record SetDnsRequiredCommand(bool On) : UfwCommand;
