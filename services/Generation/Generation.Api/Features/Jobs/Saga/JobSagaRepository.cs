using System.Text.Json;
using Dapper;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using MassTransit.Context;
using MassTransit.Saga;
using Npgsql;

namespace Folio.Generation.Api.Features.Jobs.Saga;

/// <summary>
/// MassTransit's saga repository for <see cref="GenerationJob"/> on PostgreSQL with Dapper (no persistence package
/// restores here). Each message is handled in one transaction: the row is read, the state machine runs, and the row
/// is written back only if its version is still the one read (optimistic concurrency: the loser's message is retried),
/// together with the messages the saga emitted, through the outbox.
/// </summary>
public sealed class JobSagaRepositoryContextFactory(NpgsqlDataSource db, IOutbox outbox, ISagaConsumeContextFactory<NpgsqlTransaction, GenerationJob> factory)
    : ISagaRepositoryContextFactory<GenerationJob>
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<GenerationJob, T>> next)
        where T : class
    {
        await using var connection = await db.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        await next.Send(new JobSagaRepositoryContext<T>(transaction, outbox, context, factory));
        await transaction.CommitAsync(context.CancellationToken);
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<GenerationJob> query, IPipe<SagaRepositoryQueryContext<GenerationJob, T>> next)
        where T : class =>
        throw new NotSupportedException("Generation jobs are correlated by id only.");

    public void Probe(ProbeContext context) => context.Add("persistence", "postgresql-dapper");
}

internal sealed class JobSagaRepositoryContext<TMessage>(
    NpgsqlTransaction transaction, IOutbox outbox, ConsumeContext<TMessage> context, ISagaConsumeContextFactory<NpgsqlTransaction, GenerationJob> factory)
    : ConsumeContextScope<TMessage>(context), SagaRepositoryContext<GenerationJob, TMessage>
    where TMessage : class
{
    public Task<SagaConsumeContext<GenerationJob, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, GenerationJob instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(transaction, context, instance, mode);

    public Task<SagaConsumeContext<GenerationJob, TMessage>> Add(GenerationJob instance) =>
        factory.CreateSagaConsumeContext(transaction, this, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<GenerationJob, TMessage>> Insert(GenerationJob instance)
    {
        await JobRows.InsertAsync(transaction, outbox, instance, CancellationToken);
        return await factory.CreateSagaConsumeContext(transaction, this, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<GenerationJob, TMessage>> Load(Guid correlationId)
    {
        var instance = await JobRows.LoadAsync(transaction.Connection!, correlationId, CancellationToken, transaction);
        return instance is null ? null! : await factory.CreateSagaConsumeContext(transaction, this, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<GenerationJob> context) => JobRows.InsertAsync(transaction, outbox, context.Saga, CancellationToken);

    public Task Update(SagaConsumeContext<GenerationJob> context) => JobRows.UpdateAsync(transaction.Connection!, transaction, outbox, context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<GenerationJob> context) => transaction.Connection!.ExecuteAsync(new CommandDefinition(
        "DELETE FROM generation_jobs WHERE id = @CorrelationId", context.Saga, transaction, cancellationToken: CancellationToken));

    public Task Discard(SagaConsumeContext<GenerationJob> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<GenerationJob> context) => Task.CompletedTask;
}

/// <summary>The generation_jobs row (searchable columns plus the job as JSON) and a job_chapters row per chapter.</summary>
public static class JobRows
{
    /// <summary>Raised by <c>generation_job_changed</c> (migration 0010).</summary>
    private const string JobChangedState = "FG001";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<GenerationJob?> LoadAsync(NpgsqlConnection connection, Guid id, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string Data, int Version)>(new CommandDefinition(
            "SELECT data::text, version FROM generation_jobs WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        if (row.Data is null)
        {
            return null;
        }

        var job = JsonSerializer.Deserialize<GenerationJob>(row.Data, Json)!;
        job.Version = row.Version;
        await WithChaptersAsync(connection, [job], cancellationToken, transaction);
        return job;
    }

    /// <summary>Reads the chapters of <paramref name="jobs"/> in one query.</summary>
    public static async Task WithChaptersAsync(NpgsqlConnection connection, IReadOnlyList<GenerationJob> jobs, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var byId = jobs.ToDictionary(job => job.CorrelationId);
        var rows = await connection.QueryAsync<(Guid JobId, string State)>(new CommandDefinition(
            "SELECT job_id, state::text FROM job_chapters WHERE job_id = ANY(@Ids) ORDER BY job_id, chapter_number",
            new { Ids = byId.Keys.ToArray() }, transaction, cancellationToken: cancellationToken));
        foreach (var (jobId, state) in rows)
        {
            var chapter = JsonSerializer.Deserialize<JobChapter>(state, Json)!;
            byId[jobId].Chapters.Add(chapter);
            byId[jobId].StoredChapters[chapter.Number] = chapter with { };
        }
    }

    public static async Task InsertAsync(NpgsqlTransaction transaction, IOutbox outbox, GenerationJob job, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        job.Version = 1;
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO generation_jobs (id, version, state, owner_id, project_id, branch, idempotency_key, ticket, data, created_at, updated_at)
            VALUES (@Id, @Version, @State, @OwnerId, @ProjectId, @Branch, @IdempotencyKey, @Ticket, @Data::jsonb, @CreatedAt, now())
            """)
        {
            Parameters =
            {
                new("Id", job.CorrelationId), new("Version", job.Version), new("State", job.CurrentState), new("OwnerId", job.OwnerId),
                new("ProjectId", job.ProjectId), new("Branch", job.Branch), new("IdempotencyKey", (object?)idempotencyKey ?? DBNull.Value),
                new("Ticket", job.Ticket), new("Data", JsonSerializer.Serialize(job, Json)), new("CreatedAt", job.CreatedAt.UtcDateTime),
            },
        });
        var changed = AppendChapters(batch, job);
        AppendOutgoing(batch, outbox, job);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        Written(job, changed);
    }

    /// <summary>
    /// Writes the job under its version check, with its changed chapters, its messages and <paramref name="alongside"/>
    /// (writes of the caller's that belong with this state, such as a step's draft): one round trip for all of them.
    /// Without a <paramref name="transaction"/> the batch is its own transaction, committed in that round trip; with
    /// <paramref name="flushLater"/> that commit returns before its WAL reaches the disk (see <c>JobStepConsumer</c> for when
    /// that is safe). On a version conflict the check fails the batch, so nothing of it is kept.
    /// </summary>
    public static async Task UpdateAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IOutbox outbox, GenerationJob job, CancellationToken cancellationToken,
        Action<NpgsqlBatch>? alongside = null, bool flushLater = false)
    {
        var expected = job.Version;
        job.Version = expected + 1;
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (flushLater)
        {
            batch.BatchCommands.Add(AsynchronousCommit.Command());
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            WITH updated AS (
                UPDATE generation_jobs
                SET version = @Version, state = @State, ticket = @Ticket, data = @Data::jsonb, updated_at = now(),
                    dispatched_at = CASE WHEN @State = 'Queued' THEN NULL ELSE dispatched_at END
                WHERE id = @Id AND version = @Expected
                RETURNING id
            )
            SELECT generation_job_changed(@Id, @Expected) WHERE NOT EXISTS (SELECT FROM updated)
            """)
        {
            Parameters =
            {
                new("Expected", expected), new("Id", job.CorrelationId), new("Version", job.Version), new("State", job.CurrentState),
                new("Ticket", job.Ticket), new("Data", JsonSerializer.Serialize(job, Json)),
            },
        });
        alongside?.Invoke(batch);
        var changed = AppendChapters(batch, job);
        AppendOutgoing(batch, outbox, job);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == JobChangedState)
        {
            job.Version = expected;
            throw new SagaException($"Generation job {job.CorrelationId} changed since it was read (version {expected}); the message is retried.", typeof(GenerationJob), job.CorrelationId);
        }

        Written(job, changed);
    }

    /// <summary>Saved with the outcome of the step that wrote it, so a draft is kept exactly when the step counts.</summary>
    public static void AppendDraft(NpgsqlBatch batch, Guid jobId, int chapter, ChapterDraft draft) =>
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            UPDATE job_chapters SET brief = coalesce(@Brief::jsonb, brief), text = coalesce(@Text, text), context = coalesce(@Context::jsonb, context)
            WHERE job_id = @JobId AND chapter_number = @Number
            """)
        {
            Parameters =
            {
                new("Brief", (object?)draft.Brief ?? DBNull.Value), new("Text", (object?)draft.Text ?? DBNull.Value),
                new("Context", (object?)draft.Context ?? DBNull.Value), new("JobId", jobId), new("Number", chapter),
            },
        });

    /// <summary>The chapters that differ from what was last read or written, in one statement.</summary>
    private static List<JobChapter> AppendChapters(NpgsqlBatch batch, GenerationJob job)
    {
        var changed = job.Chapters.Where(chapter => !job.StoredChapters.TryGetValue(chapter.Number, out var stored) || stored != chapter).ToList();
        if (changed.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                """
                INSERT INTO job_chapters (job_id, chapter_number, state)
                SELECT @Id, changed.number, changed.state::jsonb FROM unnest(@Numbers, @States) AS changed (number, state)
                ON CONFLICT (job_id, chapter_number) DO UPDATE SET state = excluded.state
                """)
            {
                Parameters =
                {
                    new("Id", job.CorrelationId), new("Numbers", changed.ConvertAll(chapter => chapter.Number).ToArray()),
                    new("States", changed.ConvertAll(chapter => JsonSerializer.Serialize(chapter, Json)).ToArray()),
                },
            });
        }

        return changed;
    }

    private static void AppendOutgoing(NpgsqlBatch batch, IOutbox outbox, GenerationJob job)
    {
        // Step commands keep their own order but do not wait behind the job's events: the relay publishes the two lanes
        // side by side, so the next step starts without waiting for the progress event's confirm.
        foreach (var message in job.Outgoing)
        {
            outbox.Enqueue(batch, message, message is RunJobStep ? $"{job.CorrelationId}:steps" : job.CorrelationId.ToString());
        }
    }

    private static void Written(GenerationJob job, List<JobChapter> changed)
    {
        foreach (var chapter in changed)
        {
            job.StoredChapters[chapter.Number] = chapter with { };
        }

        job.Outgoing.Clear();
    }
}
