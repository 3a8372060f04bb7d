namespace Folio.Versioning.Api.Features.Content;

/// <param name="LooseObjectsPacked">Loose rows moved into the new pack(s) (duplicates of packed objects are dropped).</param>
/// <param name="PacksRewritten">Existing open packs merged into the new pack(s).</param>
public sealed record RepackResult(int LooseObjectsPacked, int PacksRewritten, int PacksWritten, long BytesBefore, long BytesAfter);

public sealed record GcResult(int TextsRemoved, int ChunksRemoved, long BytesBefore, long BytesAfter);

/// <summary>
/// What the project's content occupies, counted as the bytes of the stored values: loose rows (id + data), packs
/// (compressed stream) and pack indexes. PostgreSQL's own overhead (row headers, btree, TOAST pages) is not included.
/// </summary>
public sealed record StorageStats(
    int LooseTexts,
    int LooseChunks,
    long LooseBytes,
    int Packs,
    int PackedTexts,
    int PackedChunks,
    long PackBytes,
    long IndexBytes,
    long PackedRawBytes)
{
    public long TotalBytes => LooseBytes + PackBytes + IndexBytes;
}
