using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.History;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.Versioning.Api.Features.Locks;

public sealed record AcquireLockRequest(string? Branch, string? Holder, int? TtlSeconds);

public sealed record RenewLockRequest(Guid? Token, int? TtlSeconds);

/// <summary>Generation locks over REST (Generation itself uses the gRPC twin).</summary>
public static class LocksApi
{
    public static IEndpointRouteBuilder MapLocksApi(this IEndpointRouteBuilder app)
    {
        var locks = app.MapOwnedProjectGroup("/locks", "Locks");
        locks.MapPost("/", AcquireAsync);
        locks.MapPut("/{branch}", RenewAsync);
        locks.MapDelete("/{branch}", ReleaseAsync);
        return app;
    }

    private static async Task<Created<LockView>> AcquireAsync(
        Guid projectId, AcquireLockRequest request, HistoryStore history, GenerationLocks locks, CancellationToken cancellationToken)
    {
        var branch = request.Branch ?? RefNames.MainBranch;
        await history.GetBranchHeadAsync(projectId, branch, cancellationToken);
        var taken = await locks.AcquireAsync(projectId, branch, request.Holder, request.TtlSeconds, cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{projectId}/locks/{branch}", taken);
    }

    private static async Task<Ok<LockView>> RenewAsync(Guid projectId, string branch, RenewLockRequest request, GenerationLocks locks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await locks.RenewAsync(projectId, branch, request.Token, request.TtlSeconds, cancellationToken));

    private static async Task<NoContent> ReleaseAsync(Guid projectId, string branch, Guid token, GenerationLocks locks, CancellationToken cancellationToken) =>
        await locks.ReleaseAsync(projectId, branch, token, cancellationToken)
            ? TypedResults.NoContent()
            : throw ProblemException.Conflict($"No lock on '{branch}' with this token is held.");
}
