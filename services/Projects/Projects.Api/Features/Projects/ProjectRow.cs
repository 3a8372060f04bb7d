namespace Folio.Projects.Api.Features.Projects;

/// <summary>A projects row as Dapper reads it (text[] arrives as string[]).</summary>
internal sealed class ProjectRow
{
    public const string Columns =
        """
        id AS Id, title AS Title, subtitle AS Subtitle, genre AS Genre, language AS Language, target_word_count AS TargetWordCount,
        status AS Status, author_name AS AuthorName, publisher AS Publisher, rights AS Rights, identifier AS Identifier,
        description AS Description, subjects AS Subjects, version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    public Guid Id { get; init; }
    public string Title { get; init; } = "";
    public string? Subtitle { get; init; }
    public string? Genre { get; init; }
    public string Language { get; init; } = "";
    public int? TargetWordCount { get; init; }
    public string Status { get; init; } = "";
    public string? AuthorName { get; init; }
    public string? Publisher { get; init; }
    public string? Rights { get; init; }
    public string? Identifier { get; init; }
    public string? Description { get; init; }
    public string[] Subjects { get; init; } = [];
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public ProjectResponse ToResponse() => new(
        Id, Title, Subtitle, Genre, Language, TargetWordCount, Status, AuthorName, Publisher, Rights, Identifier, Description,
        Subjects, Version, CreatedAt, UpdatedAt);
}
