namespace Outgate.Daemon.Simulation;

/// <summary>One file of a candidate policy as sent by the CLI: a display name (for error messages) and its text.</summary>
public sealed record CandidateFile(string Name, string Text);
