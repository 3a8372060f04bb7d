using System.Text.Json;
using Dapper;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Generation.Api.Features.Agents;

public sealed record AgentRunView(
    Guid Id, Guid? JobId, int? ChapterNumber, string Agent, string Provider, string Model, JsonElement Parameters, string PromptHash,
    long TokensIn, long TokensOut, decimal CostEstimate, int DurationMs, string Status, string? Error, DateTime StartedAt);

public sealed record AgentRunsPage(IReadOnlyList<AgentRunView> Items, long TokensIn, long TokensOut, decimal CostEstimate);

/// <summary>A book's agent runs, oldest first, filtered by job or chapter, with the totals a writer pays attention to.</summary>
public static class AgentRunsApi
{
    public static IEndpointRouteBuilder MapAgentRunsApi(this IEndpointRouteBuilder app)
    {
        app.MapOwnedProjectGroup("/agent-runs", "Generation").MapGet("/", ListAsync);
        return app;
    }

    private static async Task<Ok<AgentRunsPage>> ListAsync(
        Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken, Guid? jobId = null, int? chapter = null, int limit = 200)
    {
        if (limit is < 1 or > 1_000)
        {
            throw ProblemException.BadRequest("limit must be between 1 and 1000.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<RunRow>(new CommandDefinition(
            """
            SELECT id AS Id, job_id AS JobId, chapter_number AS ChapterNumber, agent AS Agent, provider AS Provider, model AS Model,
                   parameters::text AS Parameters, prompt_hash AS PromptHash, tokens_in AS TokensIn, tokens_out AS TokensOut,
                   cost_estimate AS CostEstimate, duration_ms AS DurationMs, status AS Status, error AS Error, started_at AS StartedAt
            FROM agent_runs
            WHERE project_id = @projectId AND (@jobId::uuid IS NULL OR job_id = @jobId) AND (@chapter::int IS NULL OR chapter_number = @chapter)
            ORDER BY started_at, id
            LIMIT @limit
            """,
            new { projectId, jobId, chapter, limit }, cancellationToken: cancellationToken))).Select(row => row.ToView()).ToList();
        return TypedResults.Ok(new AgentRunsPage(rows, rows.Sum(run => run.TokensIn), rows.Sum(run => run.TokensOut), rows.Sum(run => run.CostEstimate)));
    }

    private sealed class RunRow
    {
        public Guid Id { get; init; }
        public Guid? JobId { get; init; }
        public int? ChapterNumber { get; init; }
        public string Agent { get; init; } = "";
        public string Provider { get; init; } = "";
        public string Model { get; init; } = "";
        public string Parameters { get; init; } = "{}";
        public string PromptHash { get; init; } = "";
        public long TokensIn { get; init; }
        public long TokensOut { get; init; }
        public decimal CostEstimate { get; init; }
        public int DurationMs { get; init; }
        public string Status { get; init; } = "";
        public string? Error { get; init; }
        public DateTime StartedAt { get; init; }

        public AgentRunView ToView() => new(
            Id, JobId, ChapterNumber, Agent, Provider, Model, JsonDocument.Parse(Parameters).RootElement.Clone(), PromptHash,
            TokensIn, TokensOut, CostEstimate, DurationMs, Status, Error, StartedAt);
    }
}
