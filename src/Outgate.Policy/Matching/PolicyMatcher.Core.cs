namespace Outgate.Policy;

public sealed partial class PolicyMatcher
{
    private Decision DecideCore(in PacketFacts packet) => throw new NotImplementedException();
}
