namespace Folio.Export.Core;

/// <summary>A book as it leaves Folio: metadata from Projects, chapter texts from Versioning, in reading order.</summary>
public sealed record Book(BookMetadata Metadata, IReadOnlyList<BookChapter> Chapters, CoverImage? Cover = null);

/// <summary>One chapter: its number in the book, its title and its Markdown text.</summary>
public sealed record BookChapter(int Number, string Title, string Markdown);

/// <summary>A cover picture; <see cref="MediaType"/> is <c>image/jpeg</c> or <c>image/png</c>.</summary>
public sealed record CoverImage(byte[] Data, string MediaType)
{
    /// <summary>A PNG or JPEG told by its magic bytes and readable size; null for anything else.</summary>
    public static CoverImage? From(byte[] data)
    {
        var mediaType = data.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
            : data.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
            : null;
        var cover = mediaType is null ? null : new CoverImage(data, mediaType);
        return cover?.PixelSize() is { Width: > 0, Height: > 0 } ? cover : null;
    }

    /// <summary>Width and height in pixels from the PNG header or the JPEG frame header; (0, 0) when they cannot be read.</summary>
    public (int Width, int Height) PixelSize()
    {
        var data = Data.AsSpan();
        if (MediaType == "image/png")
        {
            return data.Length >= 24 && data[12..16].SequenceEqual("IHDR"u8)
                ? ((int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data[16..]), (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data[20..]))
                : (0, 0);
        }

        // JPEG: walk the segments to the first start-of-frame marker (C0–CF except DHT C4, JPG C8, DAC CC).
        var position = 2;
        while (position + 9 < data.Length && data[position] == 0xFF)
        {
            var marker = data[position + 1];
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                return (System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(data[(position + 7)..]), System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(data[(position + 5)..]));
            }

            position += 2 + System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
        }

        return (0, 0);
    }
}

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
