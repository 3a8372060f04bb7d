using Dapper;
using Npgsql;

namespace Folio.Export.Api.Features.Books;

/// <summary>A book's metadata as Export keeps it (see the projection consumers).</summary>
public sealed class BookRow
{
    public const string Select =
        """
        b.project_id AS ProjectId, b.owner_id AS OwnerId, b.title AS Title, b.subtitle AS Subtitle, b.language AS Language,
        b.author_name AS AuthorName, b.publisher AS Publisher, b.rights AS Rights, b.identifier AS Identifier,
        b.description AS Description, b.subjects AS Subjects, s.series_title AS SeriesTitle, s.series_number AS SeriesNumber
        FROM export_books b LEFT JOIN export_book_series s ON s.project_id = b.project_id
        """;

    public Guid ProjectId { get; init; }
    public Guid OwnerId { get; init; }
    public string Title { get; init; } = "";
    public string? Subtitle { get; init; }
    public string Language { get; init; } = "en";
    public string? AuthorName { get; init; }
    public string? Publisher { get; init; }
    public string? Rights { get; init; }
    public string? Identifier { get; init; }
    public string? Description { get; init; }
    public string[] Subjects { get; init; } = [];
    public string? SeriesTitle { get; init; }
    public int? SeriesNumber { get; init; }
}

public sealed record ChapterTitle(Guid ChapterId, int Number, string Title);

public sealed class BookStore(NpgsqlDataSource db)
{
    /// <returns>The owner's book, or null for a missing book or another user's.</returns>
    public async Task<BookRow?> FindAsync(Guid projectId, Guid ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<BookRow>(new CommandDefinition(
            $"SELECT {BookRow.Select} WHERE b.project_id = @projectId AND b.owner_id = @ownerId",
            new { projectId, ownerId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyDictionary<Guid, ChapterTitle>> ChapterTitlesAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ChapterTitle>(new CommandDefinition(
            "SELECT chapter_id AS ChapterId, number AS Number, title AS Title FROM export_chapters WHERE project_id = @projectId",
            new { projectId }, cancellationToken: cancellationToken))).ToDictionary(chapter => chapter.ChapterId);
    }
}
