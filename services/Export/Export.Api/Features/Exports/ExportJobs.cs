using System.Text.Json;
using Dapper;
using Npgsql;

namespace Folio.Export.Api.Features.Exports;

/// <summary>The export_jobs table: every state change of a job is one statement here.</summary>
public sealed class ExportJobs(NpgsqlDataSource db, TimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ExportJob> InsertAsync(
        NpgsqlTransaction transaction, Guid projectId, Guid ownerId, string reference, string commitId, string format,
        IReadOnlyList<Guid>? chapters, JobOptions options, string? coverKey, CancellationToken cancellationToken) =>
        await transaction.Connection!.QuerySingleAsync<ExportJob>(new CommandDefinition(
            $"""
            INSERT INTO export_jobs (id, project_id, owner_id, ref, commit_id, format, chapter_ids, options, cover_key, status)
            VALUES (@Id, @ProjectId, @OwnerId, @Ref, @CommitId, @Format, @ChapterIds, @Options::jsonb, @CoverKey, 'queued')
            RETURNING {ExportJob.Columns}
            """,
            new
            {
                Id = Guid.CreateVersion7(), ProjectId = projectId, OwnerId = ownerId, Ref = reference, CommitId = commitId, Format = format,
                ChapterIds = chapters?.ToArray(), Options = JsonSerializer.Serialize(options, Json), CoverKey = coverKey,
            },
            transaction, cancellationToken: cancellationToken));

    /// <returns>The caller's job, or null for a missing job or another user's.</returns>
    public async Task<ExportJob?> FindAsync(Guid jobId, Guid ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ExportJob>(new CommandDefinition(
            $"SELECT {ExportJob.Columns} FROM export_jobs WHERE id = @jobId AND owner_id = @ownerId",
            new { jobId, ownerId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ExportJob>> ListAsync(Guid projectId, Guid ownerId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ExportJob>(new CommandDefinition(
            $"SELECT {ExportJob.Columns} FROM export_jobs WHERE project_id = @projectId AND owner_id = @ownerId ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { projectId, ownerId, limit }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Takes a queued job — or one left running by a crashed attempt — for another attempt. Null when the job is
    /// finished or gone, so a redelivered message does nothing twice.
    /// </summary>
    public async Task<ExportJob?> ClaimAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ExportJob>(new CommandDefinition(
            $"""
            UPDATE export_jobs SET status = 'running', attempts = attempts + 1, progress = 0, updated_at = now()
            WHERE id = @jobId AND status IN ('queued', 'running')
            RETURNING {ExportJob.Columns}
            """,
            new { jobId }, cancellationToken: cancellationToken));
    }

    public async Task ReportProgressAsync(Guid jobId, int progress, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE export_jobs SET progress = @progress, updated_at = now() WHERE id = @jobId AND status = 'running'",
            new { jobId, progress }, cancellationToken: cancellationToken));
    }

    public async Task<DateTimeOffset> CompleteAsync(
        NpgsqlTransaction transaction, Guid jobId, string fileName, string contentType, string storageKey, long size, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expiresAt = now + lifetime;
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE export_jobs SET status = 'completed', progress = 100, error = NULL, file_name = @fileName, content_type = @contentType,
                   storage_key = @storageKey, size_bytes = @size, completed_at = @now, expires_at = @expiresAt, updated_at = @now
            WHERE id = @jobId
            """,
            new { jobId, fileName, contentType, storageKey, size, now, expiresAt }, transaction, cancellationToken: cancellationToken));
        return expiresAt;
    }

    public Task FailAsync(NpgsqlTransaction transaction, Guid jobId, string reason, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE export_jobs SET status = 'failed', error = @reason, updated_at = now() WHERE id = @jobId",
            new { jobId, reason }, transaction, cancellationToken: cancellationToken));

    /// <summary>Files past their expiry that are still stored, oldest first.</summary>
    public async Task<IReadOnlyList<(Guid Id, string StorageKey)>> ExpiredFilesAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(Guid, string)>(new CommandDefinition(
            """
            SELECT id, storage_key FROM export_jobs
            WHERE storage_key IS NOT NULL AND NOT file_deleted AND expires_at <= @now
            ORDER BY expires_at LIMIT @limit
            """,
            new { now = clock.GetUtcNow(), limit }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task MarkFileDeletedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE export_jobs SET file_deleted = true, updated_at = now() WHERE id = @jobId",
            new { jobId }, cancellationToken: cancellationToken));
    }
}
