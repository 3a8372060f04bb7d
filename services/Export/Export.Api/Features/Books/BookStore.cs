using Dapper;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Npgsql;

namespace Folio.Export.Api.Features.Books;

/// <summary>A book's metadata as Export keeps it (see the projection consumers).</summary>
public sealed class BookRow
{
    public const string Columns =
        """
        project_id AS ProjectId, owner_id AS OwnerId, title AS Title, subtitle AS Subtitle, language AS Language, author_name AS AuthorName,
        publisher AS Publisher, rights AS Rights, identifier AS Identifier, description AS Description, subjects AS Subjects,
        series_title AS SeriesTitle, series_number AS SeriesNumber
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

public sealed class BookStore(NpgsqlDataSource db) : IProjectOwnership
{
    /// <returns>The owner's book, or null for a missing book or another user's.</returns>
    public async Task<BookRow?> FindAsync(Guid projectId, Guid ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<BookRow>(new CommandDefinition(
            $"SELECT {BookRow.Columns} FROM export_books WHERE project_id = @projectId AND owner_id = @ownerId",
            new { projectId, ownerId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyDictionary<Guid, ChapterTitle>> ChapterTitlesAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ChapterTitle>(new CommandDefinition(
            "SELECT chapter_id AS ChapterId, number AS Number, title AS Title FROM export_chapters WHERE project_id = @projectId",
            new { projectId }, cancellationToken: cancellationToken))).ToDictionary(chapter => chapter.ChapterId);
    }

    public async Task EnsureOwnerAsync(Guid projectId, Guid userId, CancellationToken cancellationToken)
    {
        if (await FindAsync(projectId, userId, cancellationToken) is null)
        {
            throw ProblemException.NotFound($"Project {projectId} does not exist.");
        }
    }
}
