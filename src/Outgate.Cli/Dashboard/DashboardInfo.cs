namespace Outgate.Cli.Dashboard;

/// <summary><c>GET /v1/dashboard</c> as the CLI reads it: where the dashboard is and how to log in.</summary>
/// <param name="Status">The URL, "off", or "not running: why".</param>
/// <param name="Role">"admin" or "viewer" (read-only); null from an outgated older than the viewer role.</param>
public sealed record DashboardInfo(string? Url, string? LoginUrl, string? Token, string Status, string TokenFile, bool Rotated, string? Role = null);
