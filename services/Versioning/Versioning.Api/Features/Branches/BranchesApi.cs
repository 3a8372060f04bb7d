using Dapper;
using Folio.Contracts.Versioning;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.History;
using Folio.Versioning.Api.Features.Repositories;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Versioning.Api.Features.Branches;

public sealed record CreateBranchRequest(string? Name, string? From);

public static class BranchesApi
{
    public static IEndpointRouteBuilder MapBranchesApi(this IEndpointRouteBuilder app)
    {
        var branches = app.MapOwnedProjectGroup("/branches", "Branches");
        branches.MapGet("/", ListAsync);
        branches.MapPost("/", CreateAsync);
        branches.MapDelete("/{**name}", DeleteAsync);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<BranchView>>> ListAsync(Guid projectId, RepositoryStore store, ICurrentUser user, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.FindAsync(projectId, user.Id, cancellationToken))!.Branches);

    private static async Task<Created<BranchView>> CreateAsync(
        Guid projectId, CreateBranchRequest request, HistoryStore history, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user,
        HttpContext http, CancellationToken cancellationToken)
    {
        var created = await CreateBranchAsync(
            projectId, request.Name, request.From ?? RefNames.MainBranch, history, db, outbox,
            Folio.Contracts.Actor.User(user.Id, user.Email), http.GetCorrelationId(), cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{projectId}/branches/{created.Name}", created);
    }

    /// <summary>
    /// A new branch at <paramref name="from"/> (a branch, version or commit; null for a branch without commits), with
    /// <c>BranchCreated</c> in the same transaction. The REST API and gRPC's <c>CreateBranch</c> both come here.
    /// </summary>
    public static async Task<BranchView> CreateBranchAsync(
        Guid projectId, string? name, string? from, HistoryStore history, NpgsqlDataSource db, IOutbox outbox,
        Folio.Contracts.Actor actor, Guid correlationId, CancellationToken cancellationToken)
    {
        if (!RefNames.IsValidBranch(name))
        {
            throw ProblemException.BadRequest($"'{name}' is not a valid branch name (git's rules: no spaces, '..', '~', '^', ':', '?', '*', '[', '\\', no leading '-' or '.', not a version like v1.0).");
        }

        var head = from is null ? null : await history.ResolveAsync(projectId, from, cancellationToken);
        if (from is not null && head is null && !await history.BranchExistsAsync(projectId, from, cancellationToken))
        {
            throw ProblemException.NotFound($"'{from}' is not a branch, version or commit of this book.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = await connection.QuerySingleOrDefaultAsync<BranchView>(new CommandDefinition(
            """
            INSERT INTO branches (project_id, name, head_commit_id) VALUES (@projectId, @name, @head)
            ON CONFLICT (project_id, name) DO NOTHING
            RETURNING name AS Name, head_commit_id AS HeadCommitId, updated_at AS UpdatedAt
            """,
            new { projectId, name, head }, transaction, cancellationToken: cancellationToken))
            ?? throw ProblemException.Conflict($"Branch '{name}' already exists.");
        await outbox.EnqueueAsync(transaction, new BranchCreated(
            Guid.CreateVersion7(), correlationId, DateTimeOffset.UtcNow, actor, projectId, created.Name, head), projectId.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    private static async Task<NoContent> DeleteAsync(Guid projectId, string name, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        if (name == RefNames.MainBranch)
        {
            throw ProblemException.Unprocessable("The main branch cannot be deleted.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var locked = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM generation_locks WHERE project_id = @projectId AND branch = @name AND expires_at > now())",
            new { projectId, name }, cancellationToken: cancellationToken));
        if (locked)
        {
            throw ProblemException.Locked($"Branch '{name}' is locked by a generation job.");
        }

        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM branches WHERE project_id = @projectId AND name = @name", new { projectId, name }, cancellationToken: cancellationToken));
        return deleted == 1 ? TypedResults.NoContent() : throw ProblemException.NotFound($"Branch '{name}' does not exist.");
    }
}
