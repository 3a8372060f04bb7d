using System.IO.Compression;

namespace Folio.Versioning.Core.Storage;

internal static class Brotli
{
    public static byte[] Compress(ReadOnlySpan<byte> data, int quality, int window)
    {
        using var encoder = new BrotliEncoder(quality, window);
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(data.Length)];
        var status = encoder.Compress(data, output, out var consumed, out var written, isFinalBlock: true);
        return status == System.Buffers.OperationStatus.Done && consumed == data.Length
            ? output[..written]
            : throw new InvalidOperationException($"Brotli compression stopped with {status}.");
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
