namespace Folio.Export.Core;

/// <summary>A book as it leaves Folio: metadata from Projects, chapter texts from Versioning, in reading order.</summary>
public sealed record Book(BookMetadata Metadata, IReadOnlyList<BookChapter> Chapters, CoverImage? Cover = null);

/// <summary>One chapter: its number in the book, its title and its Markdown text.</summary>
public sealed record BookChapter(int Number, string Title, string Markdown);

/// <summary>A cover picture; <see cref="MediaType"/> is <c>image/jpeg</c> or <c>image/png</c>.</summary>
public sealed record CoverImage(byte[] Data, string MediaType);

public sealed record BookMetadata
{
    public required string Title { get; init; }

    public string? Subtitle { get; init; }

    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>BCP 47 language tag.</summary>
    public string Language { get; init; } = "en";

    /// <summary>ISBN or another unique identifier; writers fall back to a URN of the project id.</summary>
    public required string Identifier { get; init; }

    public string? Publisher { get; init; }

    public string? Rights { get; init; }

    public string? Edition { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string> Subjects { get; init; } = [];

    public DateTimeOffset Date { get; init; }

    public string? SeriesName { get; init; }

    public int? SeriesNumber { get; init; }

    public string AuthorLine => Authors.Count == 0 ? "" : string.Join(", ", Authors);
}
