namespace Outgate.Daemon.Web;

/// <summary><c>POST /login</c> body.</summary>
public sealed record LoginRequest(string? Token);

/// <summary><c>POST /login</c> and <c>GET /session</c>: the CSRF token the page sends in <paramref name="Header"/>.</summary>
/// <param name="Role">"admin", or "viewer" (read-only: the page hides its action buttons, the server refuses changes).</param>
public sealed record SessionResponse(string Csrf, string Header, DateTimeOffset CreatedAt, string Role = "admin");

/// <summary>
/// <c>GET /v1/dashboard</c> (unix socket only): where the dashboard is and how to log in.
/// <paramref name="Url"/> and <paramref name="LoginUrl"/> are null when it is not running; <paramref name="Status"/> says why.
/// <c>GET /v1/dashboard/viewer</c> and <c>POST /v1/dashboard/viewer/rotate</c> answer the same for the read-only token
/// (<paramref name="Role"/> "viewer").
/// </summary>
public sealed record DashboardInfoResponse(string? Url, string? LoginUrl, string? Token, string Status, string TokenFile, bool Rotated, string Role = "admin");

/// <summary><c>GET /v1/stats/traffic?minutes=N</c>: per-app bytes and connections per time bucket.</summary>
public sealed record TrafficResponse(int Minutes, int BucketSeconds, DateTimeOffset Start, IReadOnlyList<AppTrafficSeries> Apps);

public sealed record AppTrafficSeries(string App, long BytesOut, long BytesIn, long Connections, IReadOnlyList<TrafficPoint> Points);

/// <summary>One bucket: its start, bytes out/in of flows that ended in it, connections decided in it.</summary>
public sealed record TrafficPoint(DateTimeOffset Time, long BytesOut, long BytesIn, long Connections);

/// <summary><c>GET /v1/stats/top?minutes=N&amp;limit=N</c>: programs by bytes moved.</summary>
public sealed record TopResponse(int Minutes, IReadOnlyList<TopTalker> Talkers);

public sealed record TopTalker(string App, string? User, long BytesOut, long BytesIn, long Connections, long Blocked, long Destinations);

/// <summary><c>GET /v1/stats/blocked?minutes=N</c>: denied/rejected attempts grouped by program and destination.</summary>
public sealed record BlockedResponse(int Minutes, IReadOnlyList<BlockedAttempt> Attempts);

public sealed record BlockedAttempt(string App, string Dst, int? DstPort, string? Proto, string? Domain, string Verdict, string? Rule, long Count, DateTimeOffset Last);

/// <summary><c>GET /v1/stats/destinations?minutes=N</c>: destinations grouped by domain (or by network when no name is known).</summary>
public sealed record DestinationsResponse(int Minutes, IReadOnlyList<DestinationGroup> Groups);

/// <param name="Kind">"domain" (registrable part of the names seen) or "network" (/24 for IPv4, /48 for IPv6).</param>
public sealed record DestinationGroup(string Name, string Kind, long Connections, long Blocked, long BytesOut, long BytesIn, IReadOnlyList<string> Apps, IReadOnlyList<string> Addresses);

/// <summary><c>GET /v1/rules</c>: the policy's rules, numbered as <c>outgate status numbered</c> and <c>outgate delete N</c> number them.</summary>
public sealed record RulesResponse(IReadOnlyList<RuleView> Rules, string DefaultOutgoing, string DefaultIncoming, IReadOnlyList<string> Errors);

public sealed record RuleView(int Number, string Rule, string Action, string? Comment, string? File, DateTimeOffset? Expires, bool Expired);

/// <summary>
/// <c>POST /v1/rules</c> body: an <c>outgate</c> policy edit, exactly as typed after <c>outgate</c>
/// (<c>allow out app /usr/bin/curl to any port 443</c>, <c>delete 3</c>, <c>insert 1 deny out 25</c>), as text or tokens.
/// </summary>
public sealed record RuleEditRequest(string? Command, IReadOnlyList<string>? Tokens);

/// <summary>What an edit did: <paramref name="Message"/> is the CLI's own line ("Rule added", "Skipping adding existing rule").</summary>
public sealed record RuleEditResponse(bool Changed, string Message, int Rules, string? Note);

/// <summary>An edit that was refused: <paramref name="Errors"/> are the CLI's own messages, one per line.</summary>
public sealed record RuleEditError(string Error, IReadOnlyList<string> Errors, string? Hint);
