using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.Versioning.Api.Features.Repositories;

public static class RepositoriesApi
{
    public static IEndpointRouteBuilder MapRepositoriesApi(this IEndpointRouteBuilder app)
    {
        var repository = app.MapGroup("/api/v1/projects/{projectId:guid}").RequireAuthorization().WithTags("Repositories");
        repository.MapGet("/repository", GetAsync);
        return app;
    }

    private static async Task<Results<Ok<RepositoryView>, ProblemHttpResult>> GetAsync(
        Guid projectId, RepositoryStore store, ICurrentUser user, CancellationToken cancellationToken) =>
        await store.FindAsync(projectId, user.Id, cancellationToken) is { } repository
            ? TypedResults.Ok(repository)
            : Problems.NotFound($"Project {projectId} has no repository.");
}
