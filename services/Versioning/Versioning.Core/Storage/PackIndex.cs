using System.Buffers;
using System.Security.Cryptography;

namespace Folio.Versioning.Core.Storage;

/// <summary>
/// Stored beside a pack, uncompressed: the ids of the texts in it (so a reader knows which pack to fetch without
/// decompressing any), the length of the decompressed stream and its SHA-256, which every open checks.
/// Chunk ids are not stored: they are recomputed from the chunks, which costs less than storing 32 bytes each.
/// </summary>
public sealed record PackIndex(int RawSize, byte[] Digest, IReadOnlyList<ContentId> Texts)
{
    private const byte Version = 1;

    private readonly HashSet<ContentId> texts = [.. Texts];

    public bool Contains(ContentId text) => texts.Contains(text);

    public byte[] Encode()
    {
        var output = new ArrayBufferWriter<byte>(64 + Texts.Count * ContentId.Size);
        output.Write([Version]);
        Varint.Write(output, (ulong)RawSize);
        output.Write(Digest);
        Varint.Write(output, (ulong)Texts.Count);
        foreach (var text in Texts)
        {
            Varint.WriteId(output, text);
        }

        return output.WrittenSpan.ToArray();
    }

    public static PackIndex Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty || encoded[0] != Version)
        {
            throw new InvalidDataException("Unknown pack index version.");
        }

        var position = 1;
        var rawSize = Varint.ReadLength(encoded, ref position, Array.MaxLength);
        if (encoded.Length - position < SHA256.HashSizeInBytes)
        {
            throw new InvalidDataException("Truncated pack index.");
        }

        var digest = encoded.Slice(position, SHA256.HashSizeInBytes).ToArray();
        position += digest.Length;
        var count = Varint.ReadLength(encoded, ref position, (encoded.Length - position) / ContentId.Size);
        var ids = new ContentId[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = Varint.ReadId(encoded, ref position);
        }

        return position == encoded.Length ? new PackIndex(rawSize, digest, ids) : throw new InvalidDataException("Trailing bytes after a pack index.");
    }
}
