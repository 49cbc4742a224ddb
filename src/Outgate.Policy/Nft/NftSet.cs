namespace Outgate.Policy;

/// <summary>A named dynamic set used by <c>limit</c> rules: one token bucket per source address, forgotten after the timeout.</summary>
internal sealed record NftSet(string Name, string Type, int Size, int TimeoutSeconds);
