using Dapper;
using Folio.Continuity.Core;
using Folio.Contracts;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Continuity.Api.Features.Checks;

/// <summary>Run a check of a chapter at a ref, read a chapter's check history, the book's latest status per chapter, and counts per rule.</summary>
public static class ChecksApi
{
    private static readonly string[] Statuses = [CheckStatuses.Pass, CheckStatuses.Warning, CheckStatuses.Error];

    public static IEndpointRouteBuilder MapChecksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapOwnedProjectGroup("/continuity", "Continuity");
        group.MapPost("/chapters/{chapterId:guid}/checks", RunAsync).WithValidation<RunCheckRequest>();
        group.MapGet("/chapters/{chapterId:guid}/checks", HistoryAsync);
        group.MapGet("/chapters/{chapterId:guid}/extraction", ExtractionAsync);
        group.MapGet("/checks/{checkId:guid}", GetAsync);
        group.MapGet("/chapters", LatestAsync);
        group.MapGet("/violations/by-rule", ByRuleAsync);
        return app;
    }

    private static async Task<Results<Created<CheckRun>, ProblemHttpResult>> RunAsync(
        Guid projectId, Guid chapterId, RunCheckRequest request, NpgsqlDataSource db, CheckRunner runner, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var reference = request.Ref ?? "main";
        var brief = request.Brief is null ? null : new ChapterBrief(request.Brief.Beats ?? [], request.Brief.PointOfView);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (outcome, run) = await runner.RunAsync(transaction,
            new CheckRequest(projectId, chapterId, null, reference, user.BearerToken!, CheckTriggers.Request, brief, Actor.User(user.Id), http.GetCorrelationId(),
                request.Brief?.TargetLength), cancellationToken);
        if (run is null)
        {
            return Problems.NotFound(outcome == CheckOutcome.UnknownText
                ? $"Chapter {chapterId} has no text at '{reference}'."
                : $"Chapter {chapterId} does not exist.");
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{projectId}/continuity/checks/{run.Id}", run);
    }

    private static async Task<Results<Ok<IReadOnlyList<CheckRun>>, ProblemHttpResult>> HistoryAsync(
        Guid projectId, Guid chapterId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM chapters WHERE project_id = @projectId AND chapter_id = @chapterId) OR EXISTS (SELECT 1 FROM check_runs WHERE project_id = @projectId AND chapter_id = @chapterId)",
            new { projectId, chapterId }, cancellationToken: cancellationToken));
        if (!known)
        {
            return Problems.NotFound($"Chapter {chapterId} does not exist.");
        }

        var rows = await connection.QueryAsync<CheckRunRow>(new CommandDefinition(
            $"SELECT {CheckRunRow.Columns} FROM check_runs WHERE project_id = @projectId AND chapter_id = @chapterId ORDER BY created_at DESC LIMIT 200",
            new { projectId, chapterId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<CheckRun>>(rows.Select(row => row.ToRun()).ToList());
    }

    private static async Task<Results<Ok<CheckRun>, ProblemHttpResult>> GetAsync(Guid projectId, Guid checkId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CheckRunRow>(new CommandDefinition(
            $"SELECT {CheckRunRow.Columns} FROM check_runs WHERE project_id = @projectId AND id = @checkId", new { projectId, checkId }, cancellationToken: cancellationToken));
        return row is null ? Problems.NotFound($"Check {checkId} does not exist.") : TypedResults.Ok(row.ToRun());
    }

    private static async Task<Results<Ok<ExtractionResponse>, ProblemHttpResult>> ExtractionAsync(
        Guid projectId, Guid chapterId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(int Number, string Commit, string Appearances, string UnknownNames, string Facts, string Dates, DateTime At)>(new CommandDefinition(
            """
            SELECT chapter_number, commit_id, appearances::text, unknown_names::text, facts::text, dates::text, extracted_at
            FROM extractions WHERE project_id = @projectId AND chapter_id = @chapterId
            """,
            new { projectId, chapterId }, cancellationToken: cancellationToken));
        if (row.Commit is null)
        {
            return Problems.NotFound($"Chapter {chapterId} has not been checked yet.");
        }

        var json = Projection.Projection.Json;
        return TypedResults.Ok(new ExtractionResponse(chapterId, row.Number, row.Commit,
            System.Text.Json.JsonSerializer.Deserialize<List<Appearance>>(row.Appearances, json)!,
            System.Text.Json.JsonSerializer.Deserialize<List<UnknownName>>(row.UnknownNames, json)!,
            System.Text.Json.JsonSerializer.Deserialize<List<EstablishedFact>>(row.Facts, json)!,
            System.Text.Json.JsonSerializer.Deserialize<List<DatedStatement>>(row.Dates, json)!,
            DateTime.SpecifyKind(row.At, DateTimeKind.Utc)));
    }

    /// <summary>Every chapter with its latest check (on any ref), optionally only those whose latest status is <paramref name="status"/>.</summary>
    private static async Task<Results<Ok<IReadOnlyList<ChapterStatus>>, ValidationProblem>> LatestAsync(
        Guid projectId, string? status, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var wanted = status?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (wanted.Any(value => !Statuses.Contains(value)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"Status is a comma-separated list of: {string.Join(", ", Statuses)}."] });
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChapterStatus>(new CommandDefinition(
            """
            SELECT chapter.chapter_id AS ChapterId, chapter.number AS Number, chapter.title AS Title, latest.id AS CheckId, latest.status AS Status,
                   jsonb_array_length(latest.violations) AS Violations, latest.commit_id AS Commit, latest.created_at AS CheckedAt,
                   EXISTS (SELECT 1 FROM stale_chapters AS stale WHERE stale.project_id = chapter.project_id AND stale.chapter_id = chapter.chapter_id) AS Stale
            FROM chapters AS chapter
            LEFT JOIN LATERAL (
                SELECT id, status, violations, commit_id, created_at FROM check_runs AS run
                WHERE run.project_id = chapter.project_id AND run.chapter_id = chapter.chapter_id ORDER BY created_at DESC LIMIT 1) AS latest ON true
            WHERE chapter.project_id = @projectId AND (cardinality(@wanted) = 0 OR latest.status = ANY(@wanted))
            ORDER BY chapter.number
            """,
            new { projectId, wanted }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<ChapterStatus>>(rows.Select(row => row with { CheckedAt = row.CheckedAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : null }).ToList());
    }

    /// <summary>Violations per rule across the book: each chapter's latest check counts once.</summary>
    private static async Task<Ok<IReadOnlyList<RuleCount>>> ByRuleAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RuleCount>(new CommandDefinition(
            """
            WITH latest AS (
                SELECT DISTINCT ON (chapter_id) chapter_id, violations FROM check_runs WHERE project_id = @projectId ORDER BY chapter_id, created_at DESC)
            SELECT violation->>'rule' AS Rule, count(*)::int AS Violations, count(DISTINCT chapter_id)::int AS Chapters
            FROM latest, jsonb_array_elements(latest.violations) AS violation
            GROUP BY violation->>'rule' ORDER BY count(*) DESC, violation->>'rule'
            """,
            new { projectId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<RuleCount>>(rows.ToList());
    }
}
