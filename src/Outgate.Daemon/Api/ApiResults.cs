using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Outgate.Daemon.Api;

/// <summary>Writes JSON answers through <see cref="DaemonJsonContext"/> (no reflection).</summary>
internal static class ApiResults
{
    public static Task WriteAsync(HttpContext context, int status, ErrorResponse error) =>
        WriteAsync(context, status, error, DaemonJsonContext.Default.ErrorResponse);

    public static async Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }

    public static Task BadRequest(HttpContext context, string error, string? hint = null) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, new ErrorResponse(error, hint));
}
