using System.Buffers;
using System.Security.Cryptography;

namespace Folio.Versioning.Core.Storage;

public sealed record BuiltPack(byte[] Data, byte[] Index, int RawSize, int ChunkCount, int TextCount);

/// <summary>
/// Writes a pack: one Brotli stream (large window, so every earlier version of a paragraph in the pack is in reach)
/// holding the chunk lengths, the chunks, then each text as references to chunks. A reference to a chunk of this pack
/// is its position, delta-coded against the previous reference (consecutive paragraphs cost one zero byte); a chunk
/// kept in another pack is referenced by its id.
/// </summary>
public static class PackWriter
{
    internal const byte Version = 1;

    /// <summary>Brotli's largest window (16 MiB): packs stay below it (see the sealing rule in <see cref="PackPlanner"/>).</summary>
    private const int Window = 24;

    /// <summary>Quality 11 runs at about 0.6 MB/s; above this size quality 9 (ten times faster, ~8% larger) keeps a repack in seconds.</summary>
    private const int BestQualityLimit = 4 * 1024 * 1024;

    public static BuiltPack Write(PackContents contents)
    {
        var raw = Serialize(contents);
        var index = new PackIndex(raw.Length, SHA256.HashData(raw), contents.Texts.Select(text => text.Id).ToArray());
        var quality = raw.Length <= BestQualityLimit ? 11 : 9;
        return new BuiltPack(Brotli.Compress(raw, quality, Window), index.Encode(), raw.Length, contents.Chunks.Count, contents.Texts.Count);
    }

    private static byte[] Serialize(PackContents contents)
    {
        var ordinals = new Dictionary<ContentId, int>(contents.Chunks.Count);
        var output = new ArrayBufferWriter<byte>((int)Math.Min(Array.MaxLength, contents.ChunkBytes + 1024));
        output.Write([Version]);
        Varint.Write(output, (ulong)contents.Chunks.Count);
        Varint.Write(output, (ulong)contents.Texts.Count);
        foreach (var chunk in contents.Chunks)
        {
            if (!ordinals.TryAdd(chunk.Id, ordinals.Count))
            {
                throw new ArgumentException($"Chunk {chunk.Id} is listed twice.", nameof(contents));
            }

            Varint.Write(output, (ulong)chunk.Bytes.Length);
        }

        foreach (var chunk in contents.Chunks)
        {
            output.Write(chunk.Bytes.Span);
        }

        var texts = new HashSet<ContentId>();
        foreach (var text in contents.Texts)
        {
            if (!texts.Add(text.Id))
            {
                throw new ArgumentException($"Text {text.Id} is listed twice.", nameof(contents));
            }

            Varint.Write(output, (ulong)text.Chunks.Count);
            var previous = -1;
            foreach (var chunk in text.Chunks)
            {
                if (ordinals.TryGetValue(chunk, out var ordinal))
                {
                    Varint.Write(output, ZigZag(ordinal - (previous + 1)) << 1);
                    previous = ordinal;
                }
                else
                {
                    Varint.Write(output, 1);
                    Varint.WriteId(output, chunk);
                }
            }
        }

        return output.WrittenSpan.ToArray();
    }

    private static ulong ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));
}
