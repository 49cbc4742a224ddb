namespace Outgate.Policy;

/// <summary>Per-rule logging (ufw `log` / `log-all`).</summary>
public enum RuleLogging
{
    /// <summary>No per-rule logging.</summary>
    None,
    /// <summary>ufw `log`: log new connections that match the rule.</summary>
    New,
    /// <summary>ufw `log-all`: log every packet that matches the rule.</summary>
    All,
}
