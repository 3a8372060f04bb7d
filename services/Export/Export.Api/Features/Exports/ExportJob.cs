namespace Folio.Export.Api.Features.Exports;

public static class ExportStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Expired = "expired";
}

/// <summary>An export_jobs row as Dapper reads it.</summary>
public sealed class ExportJob
{
    public const string Columns =
        """
        id AS Id, project_id AS ProjectId, owner_id AS OwnerId, ref AS Ref, commit_id AS CommitId, format AS Format, status AS Status,
        chapter_ids AS ChapterIds, options::text AS OptionsJson, progress AS Progress, attempts AS Attempts, error AS Error,
        file_name AS FileName, content_type AS ContentType, storage_key AS StorageKey, size_bytes AS SizeBytes, file_deleted AS FileDeleted,
        created_at AS CreatedAt, updated_at AS UpdatedAt, completed_at AS CompletedAt, expires_at AS ExpiresAt, cover_key AS CoverKey
        """;

    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    public Guid OwnerId { get; init; }
    public string Ref { get; init; } = "";
    public string? CommitId { get; init; }
    public string Format { get; init; } = "";
    public string Status { get; init; } = "";
    public Guid[]? ChapterIds { get; init; }
    public string OptionsJson { get; init; } = "{}";
    public int Progress { get; init; }
    public int Attempts { get; init; }
    public string? Error { get; init; }
    public string? FileName { get; init; }
    public string? ContentType { get; init; }
    public string? StorageKey { get; init; }
    public long? SizeBytes { get; init; }
    public bool FileDeleted { get; init; }
    /// <summary>Where the cover picture waits in storage while the job runs; null without a cover.</summary>
    public string? CoverKey { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public DateTime? CompletedAt { get; init; }
    public DateTime? ExpiresAt { get; init; }

    public JobOptions Options => System.Text.Json.JsonSerializer.Deserialize<JobOptions>(OptionsJson, ExportJobs.Json)!;

    public bool IsExpired(DateTimeOffset now) => Status == ExportStatuses.Completed && (FileDeleted || ExpiresAt <= now.UtcDateTime);

    public ExportJobResponse ToResponse(DateTimeOffset now)
    {
        var expired = IsExpired(now);
        return new ExportJobResponse(
            Id, ProjectId, Ref, CommitId, Format, expired ? ExportStatuses.Expired : Status, Progress, Error, ChapterIds, Options,
            new DateTimeOffset(CreatedAt, TimeSpan.Zero), new DateTimeOffset(UpdatedAt, TimeSpan.Zero),
            CompletedAt is { } completed ? new DateTimeOffset(completed, TimeSpan.Zero) : null,
            ExpiresAt is { } expires ? new DateTimeOffset(expires, TimeSpan.Zero) : null,
            FileName, SizeBytes, Status == ExportStatuses.Completed && !expired ? $"/api/v1/exports/{Id}/file" : null);
    }
}

public sealed record ExportJobResponse(
    Guid Id,
    Guid ProjectId,
    string Ref,
    string? CommitId,
    string Format,
    string Status,
    int Progress,
    string? Error,
    IReadOnlyList<Guid>? Chapters,
    JobOptions Options,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ExpiresAt,
    string? FileName,
    long? SizeBytes,
    string? DownloadUrl);

public sealed record ExportHistoryResponse(IReadOnlyList<ExportJobResponse> Items);
