namespace Outgate.Policy;

/// <summary>
/// One policy file inside a bundle: its name relative to the configuration directory (<c>outgate.toml</c> or
/// <c>rules.d/NAME.toml</c>), its exact text, and the bundle line its first text line is on (1-based; 0 for a file
/// that is not read from a bundle), so errors can point into the bundle.
/// </summary>
public sealed record BundleFile(string Name, string Text, int FirstLine = 0);
