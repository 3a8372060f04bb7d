using System.Text.Json;
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
    private const string Insert =
        """
        INSERT INTO agent_runs (id, owner_id, project_id, job_id, chapter_number, agent, provider, model, parameters, prompt_hash,
                                tokens_in, tokens_out, cost_estimate, duration_ms, status, error, started_at)
        VALUES (@Id, @OwnerId, @ProjectId, @JobId, @ChapterNumber, @Agent, @Provider, @Model, @Parameters::jsonb, @PromptHash,
                @TokensIn, @TokensOut, @CostEstimate, @DurationMs, @Status, @Error, @StartedAt)
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Written on their own, not in a caller's transaction: a failed call is recorded even when its step rolls back.</summary>
    public async Task RecordAsync(IReadOnlyCollection<AgentRun> runs, CancellationToken cancellationToken)
    {
        if (runs.Count == 0)
        {
            return;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        Append(batch, runs);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds the runs to a batch of the caller's: a job step's runs are saved with the step's outcome.</summary>
    public static void Append(NpgsqlBatch batch, IEnumerable<AgentRun> runs)
    {
        foreach (var run in runs)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Insert)
            {
                Parameters =
                {
                    new("Id", run.Id), new("OwnerId", run.OwnerId), new("ProjectId", (object?)run.ProjectId ?? DBNull.Value),
                    new("JobId", (object?)run.JobId ?? DBNull.Value), new("ChapterNumber", (object?)run.ChapterNumber ?? DBNull.Value),
                    new("Agent", run.Agent), new("Provider", run.Provider), new("Model", run.Model),
                    new("Parameters", JsonSerializer.Serialize(run.Parameters, Json)), new("PromptHash", run.PromptHash),
                    new("TokensIn", run.TokensIn), new("TokensOut", run.TokensOut), new("CostEstimate", run.CostEstimate),
                    new("DurationMs", run.DurationMs), new("Status", run.Status), new("Error", (object?)run.Error ?? DBNull.Value),
                    new("StartedAt", run.StartedAt),
                },
            });
        }
    }
}
