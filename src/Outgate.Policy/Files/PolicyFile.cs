namespace Outgate.Policy;

/// <summary>One policy file as read: its path and exact text.</summary>
public sealed record PolicyFile(string Path, string Text);
