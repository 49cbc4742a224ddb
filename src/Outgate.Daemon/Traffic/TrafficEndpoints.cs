using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Outgate.Daemon.Api;

namespace Outgate.Daemon.Traffic;

/// <summary>
/// <c>GET /v1/traffic</c> → <see cref="TrafficResponse"/>: live bytes per application from conntrack counters
/// (empty without the kernel path, e.g. --no-kernel).
/// </summary>
public static class TrafficEndpoints
{
    public static IEndpointRouteBuilder MapTrafficApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/traffic", new RequestDelegate(GetTraffic));
        return endpoints;
    }

    private static Task GetTraffic(HttpContext context)
    {
        var s = context.RequestServices;
        var snapshot = s.GetRequiredService<TrafficMeter>().Snapshot(s.GetRequiredService<TimeProvider>().GetUtcNow());
        return ApiResults.WriteAsync(context, StatusCodes.Status200OK, snapshot, TrafficJsonContext.Default.TrafficResponse);
    }
}
