using Microsoft.AspNetCore.Routing;

namespace Outgate.Daemon.Proposals;

/// <summary>Policy proposals from recorded traffic (placeholder until implemented).</summary>
public static class ProposalEndpoints
{
    public static IEndpointRouteBuilder MapProposalApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
