using Dapper;
using Npgsql;

namespace Folio.Export.Api.Features.Import;

public sealed class ImportJob
{
    public const string Columns =
        """
        id AS Id, project_id AS ProjectId, owner_id AS OwnerId, branch AS Branch, upload_key AS UploadKey, upload_kind AS UploadKind,
        status AS Status, attempts AS Attempts, commits_imported AS CommitsImported, error AS Error, created_at AS CreatedAt, updated_at AS UpdatedAt,
        creates_project AS CreatesProject, base_commit_id AS BaseCommitId
        """;

    public Guid Id { get; init; }
    /// <summary>Null while an import that creates its book has not made it yet (or deleted it after failing).</summary>
    public Guid? ProjectId { get; init; }
    public Guid OwnerId { get; init; }
    public string Branch { get; init; } = "";
    public string UploadKey { get; init; } = "";
    public string UploadKind { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public int CommitsImported { get; init; }
    public string? Error { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public bool CreatesProject { get; init; }
    public string? BaseCommitId { get; init; }

    public ImportJobResponse ToResponse() => new(Id, ProjectId, Branch, UploadKind, Status, CommitsImported, Error,
        new DateTimeOffset(CreatedAt, TimeSpan.Zero), new DateTimeOffset(UpdatedAt, TimeSpan.Zero));
}

public sealed record ImportJobResponse(
    Guid Id, Guid? ProjectId, string Branch, string Source, string Status, int CommitsImported, string? Error, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The import_jobs table.</summary>
public sealed class ImportJobs(NpgsqlDataSource db)
{
    /// <param name="projectId">The book to import into; null to create a new book.</param>
    public Task<ImportJob> InsertAsync(NpgsqlTransaction transaction, Guid id, Guid? projectId, Guid ownerId, string branch, string uploadKey, string kind, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleAsync<ImportJob>(new CommandDefinition(
            $"""
            INSERT INTO import_jobs (id, project_id, creates_project, owner_id, branch, upload_key, upload_kind)
            VALUES (@id, @projectId, @createsProject, @ownerId, @branch, @uploadKey, @kind)
            RETURNING {ImportJob.Columns}
            """,
            new { id, projectId, createsProject = projectId is null, ownerId, branch, uploadKey, kind }, transaction, cancellationToken: cancellationToken));

    /// <summary>The book an import created, kept before anything is written into it so a retry does not create another.</summary>
    public async Task SetProjectAsync(Guid jobId, Guid? projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE import_jobs SET project_id = @projectId, updated_at = now() WHERE id = @jobId", new { jobId, projectId }, cancellationToken: cancellationToken));
    }

    /// <summary>Records the branch head the first attempt started from; every attempt gets that first one back.</summary>
    public async Task<string> KeepBaseAsync(Guid jobId, string baseCommitId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "UPDATE import_jobs SET base_commit_id = coalesce(base_commit_id, @baseCommitId) WHERE id = @jobId RETURNING base_commit_id",
            new { jobId, baseCommitId }, cancellationToken: cancellationToken)) ?? baseCommitId;
    }

    public async Task<ImportJob?> FindAsync(Guid jobId, Guid ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ImportJob>(new CommandDefinition(
            $"SELECT {ImportJob.Columns} FROM import_jobs WHERE id = @jobId AND owner_id = @ownerId", new { jobId, ownerId }, cancellationToken: cancellationToken));
    }

    /// <summary>Takes a queued job, or one a crash left running; null when it is finished.</summary>
    public async Task<ImportJob?> ClaimAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ImportJob>(new CommandDefinition(
            $"""
            UPDATE import_jobs SET status = 'running', attempts = attempts + 1, updated_at = now()
            WHERE id = @jobId AND status IN ('queued', 'running')
            RETURNING {ImportJob.Columns}
            """, new { jobId }, cancellationToken: cancellationToken));
    }

    public async Task ProgressAsync(Guid jobId, int commits, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE import_jobs SET commits_imported = @commits, updated_at = now() WHERE id = @jobId", new { jobId, commits }, cancellationToken: cancellationToken));
    }

    public async Task FinishAsync(Guid jobId, string status, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE import_jobs SET status = @status, error = @error, updated_at = now() WHERE id = @jobId", new { jobId, status, error }, cancellationToken: cancellationToken));
    }
}
