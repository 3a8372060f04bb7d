namespace Folio.Projects.Api.Features.Projects;

public sealed record ProjectResponse(
    Guid Id,
    string Title,
    string? Subtitle,
    string? Genre,
    string Language,
    int? TargetWordCount,
    string Status,
    string? AuthorName,
    string? Publisher,
    string? Rights,
    string? Identifier,
    string? Description,
    IReadOnlyList<string> Subjects,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>What the audit log compares: the fields a writer edits, without version and timestamps.</summary>
    public ProjectSnapshot Snapshot() => new(Title, Subtitle, Genre, Language, TargetWordCount, Status, AuthorName, Publisher, Rights, Identifier, Description, Subjects);
}

public sealed record ProjectSnapshot(
    string Title,
    string? Subtitle,
    string? Genre,
    string Language,
    int? TargetWordCount,
    string Status,
    string? AuthorName,
    string? Publisher,
    string? Rights,
    string? Identifier,
    string? Description,
    IReadOnlyList<string> Subjects);

public sealed record ProjectListResponse(IReadOnlyList<ProjectResponse> Items, string? NextCursor);
