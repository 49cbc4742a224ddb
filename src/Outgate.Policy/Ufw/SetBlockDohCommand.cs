namespace Outgate.Policy;

/// <summary><c>block-doh on|off</c> (see <see cref="FirewallPolicy.BlockDoh"/>).</summary>
public sealed record SetBlockDohCommand(bool On) : UfwCommand;
