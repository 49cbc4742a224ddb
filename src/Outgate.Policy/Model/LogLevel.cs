namespace Outgate.Policy;

/// <summary>ufw logging levels. <c>on</c> on the command line means <see cref="Low"/>.</summary>
public enum LogLevel
{
    /// <summary>No logging.</summary>
    Off,
    /// <summary>Blocked packets that match the default policy (rate limited), and rules with <c>log</c>.</summary>
    Low,
    /// <summary>Low, plus invalid packets, and new connections allowed by the default policy (rate limited).</summary>
    Medium,
    /// <summary>Medium, plus all new connections, with rate limiting.</summary>
    High,
    /// <summary>High without rate limiting.</summary>
    Full,
}
