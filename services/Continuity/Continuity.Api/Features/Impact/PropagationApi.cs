using System.Text.Json;
using Dapper;
using Folio.Continuity.Api.Features.Checks;
using Folio.Contracts;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ProjectionJson = Folio.Continuity.Api.Features.Projection.Projection;

namespace Folio.Continuity.Api.Features.Impact;

/// <summary>The book's propagation debt (chapters a change made stale) and re-checking it on request.</summary>
public static class PropagationApi
{
    public static IEndpointRouteBuilder MapPropagationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapOwnedProjectGroup("/continuity/propagation-debt", "Continuity");
        group.MapGet("/", ListAsync);
        group.MapPost("/recheck", RecheckAsync);
        return app;
    }

    private sealed record Row(Guid ChapterId, int Number, string Title, Guid CausedByChapterId, string CausedByCommit, string Shared, DateTime MarkedAt);

    private static async Task<Ok<IReadOnlyList<StaleChapter>>> ListAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await ReadAsync(connection, projectId, cancellationToken));
    }

    /// <summary>Checks every stale chapter at <paramref name="ref"/> (default <c>main</c>) as the caller; chapters without text there stay in the debt.</summary>
    private static async Task<Results<Ok<RecheckResult>, ValidationProblem>> RecheckAsync(
        Guid projectId, string? @ref, NpgsqlDataSource db, CheckRunner runner, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        if (@ref is { Length: 0 or > 200 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ref"] = ["A ref is 1 to 200 characters."] });
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var stale = await ReadAsync(connection, projectId, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var checks = new List<CheckRun>();
        var notFound = new List<Guid>();
        foreach (var chapter in stale)
        {
            var (_, run) = await runner.RunAsync(transaction, new CheckRequest(projectId, chapter.ChapterId, null, @ref ?? "main", user.BearerToken!,
                CheckTriggers.Recheck, null, Actor.User(user.Id), http.GetCorrelationId()), cancellationToken);
            if (run is null)
            {
                notFound.Add(chapter.ChapterId);
            }
            else
            {
                checks.Add(run);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new RecheckResult(checks, notFound));
    }

    private static async Task<IReadOnlyList<StaleChapter>> ReadAsync(NpgsqlConnection connection, Guid projectId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT stale.chapter_id AS ChapterId, chapter.number AS Number, chapter.title AS Title, stale.caused_by_chapter_id AS CausedByChapterId,
                   stale.caused_by_commit AS CausedByCommit, stale.shared::text AS Shared, stale.marked_at AS MarkedAt
            FROM stale_chapters AS stale JOIN chapters AS chapter ON chapter.project_id = stale.project_id AND chapter.chapter_id = stale.chapter_id
            WHERE stale.project_id = @projectId ORDER BY chapter.number
            """,
            new { projectId }, cancellationToken: cancellationToken));
        return rows.Select(row => new StaleChapter(row.ChapterId, row.Number, row.Title, row.CausedByChapterId, row.CausedByCommit,
            JsonSerializer.Deserialize<List<string>>(row.Shared, ProjectionJson.Json)!, DateTime.SpecifyKind(row.MarkedAt, DateTimeKind.Utc))).ToList();
    }
}
