namespace Outgate.Policy;

/// <summary>A policy-changing ufw command (<c>allow|deny|reject|limit ...</c>, <c>route ...</c>, <c>insert</c>, <c>delete</c>, <c>default</c>, <c>logging</c>).</summary>
public abstract record UfwCommand;
