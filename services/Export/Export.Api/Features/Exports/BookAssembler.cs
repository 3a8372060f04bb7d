using System.Text.RegularExpressions;
using Folio.Export.Api.Features.Books;
using Folio.Export.Api.Features.Sources;
using Folio.Export.Api.Features.Storage;
using Folio.Export.Core;

namespace Folio.Export.Api.Features.Exports;

/// <summary>A job's book: metadata from Export's copy of the project, chapter texts from Versioning at the pinned commit.</summary>
public sealed partial class BookAssembler(BookStore books, VersioningClient versioning, IExportStorage storage)
{
    public async Task<BookMetadata> MetadataAsync(ExportJob job, CancellationToken cancellationToken) =>
        Metadata(await books.FindAsync(job.ProjectId, job.OwnerId, cancellationToken)
            ?? throw new ExportRefusedException($"Project {job.ProjectId} no longer exists."), job);

    public async Task<Book> LoadAsync(ExportJob job, string bearerToken, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(job, cancellationToken);
        var titles = await books.ChapterTitlesAsync(job.ProjectId, cancellationToken);
        var wanted = job.ChapterIds?.ToHashSet();
        var chapters = new List<BookChapter>();
        var position = 0;
        await foreach (var chapter in versioning.StreamSnapshotAsync(job.ProjectId, job.CommitId!, bearerToken, cancellationToken))
        {
            position++;
            var chapterId = Guid.Parse(chapter.ChapterId);
            if (wanted is not null && !wanted.Remove(chapterId))
            {
                continue;
            }

            var number = titles.TryGetValue(chapterId, out var known) ? known.Number : position;
            chapters.Add(new BookChapter(number, known?.Title ?? $"Chapter {number}", chapter.Text));
        }

        if (wanted is { Count: > 0 })
        {
            throw new ExportRefusedException($"Chapter {wanted.First()} is not in the book at {job.Ref}.");
        }

        if (chapters.Count == 0)
        {
            throw new ExportRefusedException($"The book has no chapters at {job.Ref}: there is nothing to export.");
        }

        return new Book(metadata, chapters, await CoverAsync(job, cancellationToken));
    }

    private async Task<CoverImage?> CoverAsync(ExportJob job, CancellationToken cancellationToken)
    {
        if (job.CoverKey is null)
        {
            return null;
        }

        await using var stored = await storage.OpenReadAsync(job.CoverKey, cancellationToken)
            ?? throw new ExportRefusedException("The cover picture is no longer stored.");
        using var bytes = new MemoryStream();
        await stored.CopyToAsync(bytes, cancellationToken);
        return CoverImage.From(bytes.ToArray()) ?? throw new ExportRefusedException("The stored cover is not a PNG or JPEG picture.");
    }

    private static BookMetadata Metadata(BookRow row, ExportJob job) => new()
    {
        Title = row.Title,
        Subtitle = row.Subtitle,
        Authors = string.IsNullOrWhiteSpace(row.AuthorName) ? [] : [row.AuthorName],
        Language = row.Language,
        Identifier = Identifier(row.Identifier, row.ProjectId),
        Publisher = row.Publisher,
        Rights = row.Rights,
        Edition = job.Ref,
        Description = row.Description,
        Subjects = row.Subjects,
        Date = new DateTimeOffset(job.CreatedAt, TimeSpan.Zero),
        SeriesName = row.SeriesTitle,
        SeriesNumber = row.SeriesNumber,
    };

    /// <summary>An ISBN or UUID becomes the URN readers expect; a book without one is identified by its project id.</summary>
    private static string Identifier(string? identifier, Guid projectId)
    {
        var value = identifier?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return $"urn:uuid:{projectId}";
        }

        if (Guid.TryParse(value, out var uuid))
        {
            return $"urn:uuid:{uuid}";
        }

        var isbn = IsbnNoise().Replace(value, "");
        return IsbnShape().IsMatch(isbn) ? $"urn:isbn:{isbn}" : value;
    }

    [GeneratedRegex("^(?i:isbn:?)|[- ]")]
    private static partial Regex IsbnNoise();

    [GeneratedRegex("^([0-9]{9}[0-9Xx]|[0-9]{13})$")]
    private static partial Regex IsbnShape();
}
