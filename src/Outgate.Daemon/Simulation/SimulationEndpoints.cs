using Microsoft.AspNetCore.Routing;

namespace Outgate.Daemon.Simulation;

/// <summary>Policy simulation over recorded traffic (placeholder until implemented).</summary>
public static class SimulationEndpoints
{
    public static IEndpointRouteBuilder MapSimulationApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
