using Dapper;
using Folio.Contracts;
using Folio.ServiceDefaults.Hosting;
using Folio.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// Starts queued jobs when a worker is free and no other job of this service holds their branch (oldest first, one per
/// branch), and nudges a step that has gone unanswered too long. One instance does it at a time (a transaction-scoped
/// advisory lock), and what it decides is published through the outbox with the decision. It runs at every tick, and
/// at once when this instance queues a job or ends one (<see cref="Wake"/>), so a job on a free branch does not wait
/// for the tick; a job queued on another replica waits for this one's next tick at most.
/// </summary>
public sealed partial class JobDispatcher(NpgsqlDataSource db, IOutbox outbox, IOptions<GenerationOptions> options, ILogger<JobDispatcher> logger) : BackgroundService
{
    private const long DispatchLockKey = 0x466F6C696F47656E; // "FolioGen"
    private static readonly Actor Dispatcher = Actor.System("generation-dispatcher");

    private readonly Wakeup wakeup = new();

    /// <summary>Asks for a dispatch now; calls while one is already asked for add nothing.</summary>
    public void Wake() => wakeup.Set();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                LogDispatchFailed(exception);
            }

            await wakeup.WaitAsync(options.Value.DispatchInterval, stoppingToken);
        }
    }

    public async Task DispatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_xact_lock(@DispatchLockKey)", new { DispatchLockKey }, transaction, cancellationToken: cancellationToken)))
        {
            return;
        }

        var ready = await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            WITH busy AS (
                SELECT project_id, branch FROM generation_jobs
                WHERE state IN ('Running', 'Compensating') OR (state = 'Queued' AND dispatched_at IS NOT NULL)
            ), oldest AS (
                SELECT DISTINCT ON (project_id, branch) id, project_id, branch, created_at
                FROM generation_jobs WHERE state = 'Queued' AND dispatched_at IS NULL
                ORDER BY project_id, branch, created_at
            )
            SELECT id FROM oldest
            WHERE NOT EXISTS (SELECT 1 FROM busy WHERE busy.project_id = oldest.project_id AND busy.branch = oldest.branch)
            ORDER BY created_at
            LIMIT greatest(0, @Workers - (SELECT count(*) FROM busy))
            """,
            new { options.Value.Workers }, transaction, cancellationToken: cancellationToken));
        foreach (var jobId in ready)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE generation_jobs SET dispatched_at = now() WHERE id = @jobId", new { jobId }, transaction, cancellationToken: cancellationToken));
            await outbox.EnqueueAsync(transaction, new StartGenerationJob(Guid.CreateVersion7(), jobId, DateTimeOffset.UtcNow, Dispatcher, jobId), jobId.ToString(), cancellationToken);
        }

        var stalled = await connection.QueryAsync<(Guid Id, int Ticket)>(new CommandDefinition(
            """
            UPDATE generation_jobs SET nudged_ticket = ticket
            WHERE state IN ('Running', 'Compensating') AND nudged_ticket IS DISTINCT FROM ticket
              AND updated_at < now() - CASE WHEN data->>'step' = 'Check' THEN @ContinuityTimeout ELSE @StepStallTimeout END
            RETURNING id, ticket
            """,
            new { options.Value.ContinuityTimeout, options.Value.StepStallTimeout }, transaction, cancellationToken: cancellationToken));
        foreach (var (jobId, ticket) in stalled)
        {
            await outbox.EnqueueAsync(transaction, new JobStepTimedOut(Guid.CreateVersion7(), jobId, DateTimeOffset.UtcNow, Dispatcher, jobId, ticket), jobId.ToString(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatching generation jobs failed; trying again at the next tick")]
    private partial void LogDispatchFailed(Exception exception);
}
