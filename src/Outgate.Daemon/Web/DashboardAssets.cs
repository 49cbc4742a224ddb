using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Outgate.Daemon.Web;

/// <summary>
/// The dashboard's pages, scripts and styles, embedded in outgated.dll from Web/wwwroot (no files to
/// install, nothing on disk an attacker could swap). Only names listed here are served.
/// </summary>
public static class DashboardAssets
{
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, byte[]> Files = Load();

    public static IReadOnlyCollection<string> Names => Files.Keys;

    public static async Task WriteAsync(HttpContext context, string name)
    {
        if (!Files.TryGetValue(name, out var bytes) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = type;
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        const string Prefix = "wwwroot/";
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            files[resource[Prefix.Length..].Replace('\\', '/')] = memory.ToArray();
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
