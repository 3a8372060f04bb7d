using System.Buffers;

namespace Folio.Versioning.Core.Storage;

/// <summary>
/// A chunk stored on its own until it is packed: its length, then Brotli at a fast quality, because it is written on
/// the request path and lives only until the next repack. The length lets a truncated row be told from a short chunk.
/// Quality 3 in one call: for paragraphs of the corpus (382 bytes on average) 20 µs a chunk against 54 µs at quality 5
/// (61 µs with a streaming encoder), for 63% of the size instead of 60%.
/// </summary>
public static class LooseChunk
{
    private const int Quality = 3;
    private const int Window = 22;

    /// <summary>Far above any chunk the chunker makes; a corrupt length must not allocate gigabytes before failing.</summary>
    private const int MaxLength = 16 * 1024 * 1024;

    public static byte[] Compress(ReadOnlySpan<byte> chunk)
    {
        var output = new ArrayBufferWriter<byte>(chunk.Length / 2 + 16);
        Varint.Write(output, (ulong)chunk.Length);
        output.Write(Brotli.Compress(chunk, Quality, Window));
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Decompress(ReadOnlySpan<byte> stored)
    {
        var position = 0;
        var length = Varint.ReadLength(stored, ref position, MaxLength);
        return Brotli.Decompress(stored[position..], length);
    }
}
