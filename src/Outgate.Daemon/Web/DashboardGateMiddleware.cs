using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Api;

namespace Outgate.Daemon.Web;

/// <summary>
/// Everything that arrives on the dashboard's TCP listener passes here first; the unix socket is left to
/// <see cref="PeerAccessMiddleware"/>. In order:
/// <list type="number">
/// <item>security headers on every answer (CSP without inline script, frame denial, no-store);</item>
/// <item>the Host header must be the listener's own address or localhost with its port (DNS-rebinding guard);</item>
/// <item>public: the login page, its assets, <c>POST /login</c> (rate-limited), and <c>GET /metrics</c> (Prometheus);</item>
/// <item>everything else needs the session cookie; state-changing methods also need <c>X-Outgate-CSRF</c>
/// equal to the session's token and, when the browser sends them, a same-origin <c>Origin</c> and <c>Sec-Fetch-Site</c>;</item>
/// <item>a viewer session (logged in with the read-only token) may only GET what <see cref="ViewerAllowList"/> lists
/// (and log itself out): anything else is 403, here, before any endpoint runs.</item>
/// </list>
/// </summary>
public sealed partial class DashboardGateMiddleware(RequestDelegate next, DashboardListener listener, DashboardTokens tokens,
    DashboardSessions sessions, LoginThrottle throttle, ILogger<DashboardGateMiddleware> logger)
{
    public const string CsrfHeader = "X-Outgate-CSRF";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Per port, so two daemons on one machine (tests, several namespaces) do not overwrite each other's cookie.</summary>
    public string CookieName => $"outgate_session_{listener.Endpoint?.Port ?? 0}";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!DashboardListener.IsTcp(context.Connection))
        {
            await next(context);
            return;
        }
        var request = context.Request;
        var response = context.Response;
        AddSecurityHeaders(response.Headers, request.Path.StartsWithSegments("/assets"));

        if (!IsAllowedHost(request.Host.Value))
        {
            LogBadHost(logger, Printable(request.Host.Value));
            await ApiResults.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, new ErrorResponse(
                $"this dashboard answers only to {string.Join(" or ", listener.AllowedHosts)}, not Host '{Printable(request.Host.Value)}'",
                "open the URL that `outgate dashboard` prints"));
            return;
        }

        var path = request.Path.Value ?? "/";
        var get = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (get && path == "/metrics")
        {
            context.Features.Set(new DashboardAccess(null));
            await next(context);
            return;
        }
        if (get && path is "/login" or "/login.html")
        {
            await DashboardAssets.WriteAsync(context, "login.html");
            return;
        }
        if (get && path.StartsWith("/assets/", StringComparison.Ordinal))
        {
            await DashboardAssets.WriteAsync(context, path["/assets/".Length..]);
            return;
        }
        if (HttpMethods.IsPost(request.Method) && path == "/login")
        {
            await LoginAsync(context);
            return;
        }

        var session = sessions.Find(request.Cookies[CookieName]);
        if (session is null)
        {
            if (get && (path is "/" or "/index.html" || AcceptsHtml(request)))
            {
                response.Redirect("/login");
                return;
            }
            await ApiResults.WriteAsync(context, StatusCodes.Status401Unauthorized,
                new ErrorResponse("not logged in to the dashboard (no or expired session)", "open the login link that `outgate dashboard` prints"));
            return;
        }
        if (!IsSafeMethod(request.Method) && CrossSiteReason(request, session) is { } reason)
        {
            LogCsrfRefused(logger, request.Method, path, reason);
            await ApiResults.WriteAsync(context, StatusCodes.Status403Forbidden, new ErrorResponse(
                $"request refused: {reason}", $"state-changing requests need the {CsrfHeader} header from GET /session and must come from the dashboard's own page"));
            return;
        }
        if (get && path is "/" or "/index.html")
        {
            await DashboardAssets.WriteAsync(context, "index.html");
            return;
        }
        if (path == "/session")
        {
            await WriteSessionAsync(context, session);
            return;
        }
        if (HttpMethods.IsPost(request.Method) && path == "/logout")
        {
            sessions.End(session.Id);
            response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (session.Role == DashboardRole.Viewer && !ViewerAllowList.Allows(request.Method, path))
        {
            LogViewerRefused(logger, request.Method, Printable(path));
            await ApiResults.WriteAsync(context, StatusCodes.Status403Forbidden, new ErrorResponse(
                $"read-only dashboard session: {request.Method} {Printable(path)} is not open to viewers ({ViewerAllowList.Description})",
                "log in with the admin token from `sudo outgate dashboard` to change anything"));
            return;
        }
        context.Features.Set(new DashboardAccess(session));
        // Logging out or rotating the token also cuts what is still open (the live view's event stream).
        using var ended = session.Ended.Register(static c => ((HttpContext)c!).Abort(), context);
        await next(context);
    }

    private async Task LoginAsync(HttpContext context)
    {
        var request = context.Request;
        if (CrossOriginReason(request) is { } reason)
        {
            await ApiResults.WriteAsync(context, StatusCodes.Status403Forbidden, new ErrorResponse($"login refused: {reason}", "log in from the dashboard's own login page"));
            return;
        }
        if (throttle.RetryAfter() is { } wait)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await ApiResults.WriteAsync(context, StatusCodes.Status429TooManyRequests, new ErrorResponse(
                $"too many failed logins: try again in {Math.Ceiling(wait.TotalSeconds):0} s", "copy the token from `sudo outgate dashboard`"));
            return;
        }
        LoginRequest? login = null;
        try
        {
            login = await JsonSerializer.DeserializeAsync(request.Body, DashboardJsonContext.Default.LoginRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
        }
        if (tokens.RoleOf(login?.Token) is not { } role)
        {
            throttle.Failed();
            LogLoginFailed(logger);
            await ApiResults.WriteAsync(context, StatusCodes.Status401Unauthorized, new ErrorResponse(
                "wrong dashboard token", "copy it from `sudo outgate dashboard` (or `--viewer` for the read-only one; they change with --rotate)"));
            return;
        }
        throttle.Succeeded();
        var session = sessions.Create(role);
        context.Response.Cookies.Append(CookieName, session.Id, new CookieOptions
        {
            Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true,
        });
        LogLoggedIn(logger, role.ToName(), sessions.Count);
        await WriteSessionAsync(context, session);
    }

    private static Task WriteSessionAsync(HttpContext context, DashboardSession session) =>
        ApiResults.WriteAsync(context, StatusCodes.Status200OK, new SessionResponse(session.Csrf, CsrfHeader, session.CreatedAt, session.Role.ToName()), DashboardJsonContext.Default.SessionResponse);

    internal static void AddSecurityHeaders(IHeaderDictionary headers, bool asset)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.CacheControl = asset ? "no-cache" : "no-store";
    }

    private bool IsAllowedHost(string? host) =>
        host is { Length: > 0 } && listener.AllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    private static bool IsSafeMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private string? CrossSiteReason(HttpRequest request, DashboardSession session)
    {
        if (CrossOriginReason(request) is { } reason) return reason;
        var header = request.Headers[CsrfHeader].ToString();
        if (header.Length == 0) return $"the {CsrfHeader} header is missing";
        return session.CsrfMatches(header) ? null : $"the {CsrfHeader} header does not match this session";
    }

    /// <summary>Browsers send Origin and Sec-Fetch-Site on every cross-site POST: refuse anything but our own origin.</summary>
    private string? CrossOriginReason(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            var ok = origin.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && IsAllowedHost(origin["http://".Length..]);
            if (!ok) return $"Origin '{Printable(origin)}' is not this dashboard";
        }
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none")) return $"Sec-Fetch-Site is '{Printable(site)}'";
        return null;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static string Printable(string? value) =>
        value is null ? "" : Options.DaemonCommandLine.Escape(value.Length > 100 ? value[..100] + "…" : value);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "dashboard: refused a request with Host '{Host}' (not this listener: DNS rebinding or a wrong URL)")]
    private static partial void LogBadHost(ILogger logger, string host);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "dashboard: refused {Method} {Path}: {Reason}")]
    private static partial void LogCsrfRefused(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "dashboard: failed login (wrong token)")]
    private static partial void LogLoginFailed(ILogger logger);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "dashboard: {Role} login ({Sessions} sessions)")]
    private static partial void LogLoggedIn(ILogger logger, string role, int sessions);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "dashboard: refused {Method} {Path} for a read-only (viewer) session")]
    private static partial void LogViewerRefused(ILogger logger, string method, string path);
}
