using System.Text.Json;
using Dapper;
using Npgsql;

namespace Folio.Generation.Api.Features.Agents;

/// <summary>One agent call as DraftForge's <c>.draftforge/agent-runs/*.json</c> records it.</summary>
public sealed record AgentRun(
    Guid Id,
    Guid OwnerId,
    Guid? ProjectId,
    Guid? JobId,
    int? ChapterNumber,
    string Agent,
    string Provider,
    string Model,
    IReadOnlyDictionary<string, object?> Parameters,
    string PromptHash,
    long TokensIn,
    long TokensOut,
    decimal CostEstimate,
    int DurationMs,
    string Status,
    string? Error,
    DateTimeOffset StartedAt);

public sealed class AgentRunRecorder(NpgsqlDataSource db)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Written on its own, not in the caller's transaction: a failed call is recorded even when its step rolls back.</summary>
    public async Task RecordAsync(AgentRun run, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO agent_runs (id, owner_id, project_id, job_id, chapter_number, agent, provider, model, parameters, prompt_hash,
                                    tokens_in, tokens_out, cost_estimate, duration_ms, status, error, started_at)
            VALUES (@Id, @OwnerId, @ProjectId, @JobId, @ChapterNumber, @Agent, @Provider, @Model, @Parameters::jsonb, @PromptHash,
                    @TokensIn, @TokensOut, @CostEstimate, @DurationMs, @Status, @Error, @StartedAt)
            """,
            new
            {
                run.Id, run.OwnerId, run.ProjectId, run.JobId, run.ChapterNumber, run.Agent, run.Provider, run.Model,
                Parameters = JsonSerializer.Serialize(run.Parameters, Json), run.PromptHash, run.TokensIn, run.TokensOut,
                run.CostEstimate, run.DurationMs, run.Status, run.Error, run.StartedAt,
            },
            cancellationToken: cancellationToken));
    }
}
