using Folio.ServiceDefaults.Security;
using Dapper;
using Folio.Versioning.Api.Features.Content;
using Folio.Versioning.Api.Features.History;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Versioning.Api.Features.Storage;

/// <summary>
/// What a book's history occupies, repacking on demand, and garbage collection: every text reachable from a
/// commit (its tree and each chapter in it) or a draft is kept; what nothing references any more — overwritten
/// drafts, above all — is removed after the content store's grace period.
/// </summary>
public static class StorageApi
{
    public static IEndpointRouteBuilder MapStorageApi(this IEndpointRouteBuilder app)
    {
        var storage = app.MapOwnedProjectGroup("/storage", "Storage");
        storage.MapGet("/", async (Guid projectId, ContentStore content, CancellationToken cancellationToken) =>
            TypedResults.Ok(await content.GetStatsAsync(projectId, cancellationToken)));
        storage.MapPost("/repack", async (Guid projectId, ContentStore content, CancellationToken cancellationToken) =>
            TypedResults.Ok(await content.RepackAsync(projectId, cancellationToken)));
        storage.MapPost("/gc", CollectGarbageAsync);
        return app;
    }

    private static async Task<Ok<GcResult>> CollectGarbageAsync(
        Guid projectId, ContentStore content, HistoryStore history, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var commits = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM commits WHERE project_id = @projectId", new { projectId }, cancellationToken: cancellationToken));
        var drafts = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT content_id FROM drafts WHERE project_id = @projectId", new { projectId }, cancellationToken: cancellationToken));

        var reachable = new HashSet<string>(drafts, StringComparer.Ordinal);
        foreach (var commitId in commits)
        {
            reachable.Add((await history.GetCommitAsync(projectId, commitId, cancellationToken)).TreeId);
            reachable.UnionWith((await history.GetTreeAsync(projectId, commitId, cancellationToken)).Chapters.Select(entry => entry.ContentId));
        }

        return TypedResults.Ok(await content.CollectGarbageAsync(projectId, reachable, cancellationToken));
    }
}
