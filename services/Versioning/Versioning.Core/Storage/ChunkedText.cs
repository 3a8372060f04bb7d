namespace Folio.Versioning.Core.Storage;

public readonly record struct TextChunk(ContentId Id, Range Range);

/// <summary>A text ready to store: its UTF-8 bytes, its id and its chunks (ids unique within the list of <see cref="DistinctChunks"/>).</summary>
public sealed class ChunkedText
{
    private ChunkedText(byte[] utf8, ContentId id, IReadOnlyList<TextChunk> chunks)
    {
        Utf8 = utf8;
        Id = id;
        Chunks = chunks;
    }

    public byte[] Utf8 { get; }

    public ContentId Id { get; }

    /// <summary>In text order; a repeated paragraph appears as often as it occurs.</summary>
    public IReadOnlyList<TextChunk> Chunks { get; }

    public IEnumerable<TextChunk> DistinctChunks => Chunks.DistinctBy(chunk => chunk.Id);

    public ReadOnlySpan<byte> Bytes(TextChunk chunk) => Utf8.AsSpan(chunk.Range);

    public TextManifest Manifest => new(Chunks.Select(chunk => chunk.Id).ToArray());

    public static ChunkedText From(string text)
    {
        var utf8 = ContentText.Encode(text);
        var chunks = Chunker.Split(utf8).Select(range => new TextChunk(ContentId.OfChunk(utf8.AsSpan(range)), range)).ToArray();
        return new ChunkedText(utf8, ContentId.OfText(utf8), chunks);
    }
}
