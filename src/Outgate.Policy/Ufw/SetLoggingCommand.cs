namespace Outgate.Policy;

/// <summary><c>logging off|on|low|medium|high|full</c>.</summary>
public sealed record SetLoggingCommand(LogLevel Level) : UfwCommand;
