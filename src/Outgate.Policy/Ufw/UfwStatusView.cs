namespace Outgate.Policy;

/// <summary>Which <c>status</c> variant to render.</summary>
public enum UfwStatusView
{
    /// <summary><c>status</c>.</summary>
    Plain,
    /// <summary><c>status numbered</c>: one line per rule, <c>[ N]</c> = the number <c>delete N</c> takes.</summary>
    Numbered,
    /// <summary><c>status verbose</c>: header with logging, defaults and new profiles, then the rules.</summary>
    Verbose,
}
