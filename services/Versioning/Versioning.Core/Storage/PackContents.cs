namespace Folio.Versioning.Core.Storage;

public readonly record struct PackChunk(ContentId Id, ReadOnlyMemory<byte> Bytes);

/// <summary>A text in a pack: its id and its chunks in order (chunks of this pack or of another one).</summary>
public sealed record PackText(ContentId Id, IReadOnlyList<ContentId> Chunks);

/// <summary>
/// What goes into one pack, in stream order. Order matters for size: Brotli finds the previous version of a paragraph
/// cheapest when it is close, and the order objects were first written in keeps a chapter's revisions together.
/// </summary>
public sealed record PackContents(IReadOnlyList<PackChunk> Chunks, IReadOnlyList<PackText> Texts)
{
    public long ChunkBytes => Chunks.Sum(chunk => (long)chunk.Bytes.Length);
}
