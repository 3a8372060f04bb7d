using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.Export.Api.Features.Sources;

public sealed record ExportableRef(string Name, string Kind, string? HeadCommitId);

public sealed record ExportSources(Guid ProjectId, string DefaultBranch, IReadOnlyList<ExportableRef> Refs);

/// <summary>What a book can be exported from: its branches (tags and versions join when Versioning has them).</summary>
public static class SourcesApi
{
    public static IEndpointRouteBuilder MapSourcesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/exports").RequireAuthorization().WithTags("Exports")
            .MapGet("/projects/{projectId:guid}/refs", GetRefsAsync);
        return app;
    }

    private static async Task<Results<Ok<ExportSources>, ProblemHttpResult>> GetRefsAsync(
        Guid projectId, VersioningClient versioning, ICurrentUser user, CancellationToken cancellationToken)
    {
        try
        {
            var repository = await versioning.GetRepositoryAsync(projectId, user.BearerToken, cancellationToken);
            if (repository is null)
            {
                return Problems.NotFound($"Project {projectId} does not exist.");
            }

            var refs = repository.Branches
                .Select(branch => new ExportableRef(branch.Name, "branch", branch.HeadCommitId.Length == 0 ? null : branch.HeadCommitId))
                .ToList();
            return TypedResults.Ok(new ExportSources(projectId, repository.DefaultBranch, refs));
        }
        catch (GrpcException exception) when (exception.StatusCode is GrpcStatusCode.Unavailable or GrpcStatusCode.DeadlineExceeded)
        {
            return Problems.ServiceUnavailable("The versioning service is not answering; try again shortly.");
        }
    }
}
