using System.Buffers;

namespace Folio.Versioning.Core.Storage;

/// <summary>
/// A chunk stored on its own until it is packed: its length, then Brotli at a fast quality, because it is written on
/// the request path and lives only until the next repack. The length lets a truncated row be told from a short chunk.
/// </summary>
public static class LooseChunk
{
    private const int Quality = 5;
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
