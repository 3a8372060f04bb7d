using System.IO.Compression;

namespace Folio.Versioning.Core.Storage;

internal static class Brotli
{
    /// <summary>The library's one-shot compressor, which sizes its tables for the input: for a paragraph a fraction of a streaming encoder's setup.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data, int quality, int window)
    {
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(data.Length)];
        return BrotliEncoder.TryCompress(data, output, out var written, quality, window)
            ? output[..written]
            : throw new InvalidOperationException("Brotli compression did not fit its maximum compressed length.");
    }

    /// <summary>Decompresses a stream whose exact length is known; anything else is corruption.</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> compressed, int length)
    {
        var output = new byte[length];
        using var decoder = new BrotliDecoder();
        var status = decoder.Decompress(compressed, output, out var consumed, out var written);
        return status == System.Buffers.OperationStatus.Done && consumed == compressed.Length && written == length
            ? output
            : throw new InvalidDataException($"Corrupt compressed object ({status}, {written} of {length} bytes).");
    }
}
