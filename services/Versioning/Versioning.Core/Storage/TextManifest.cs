using System.Buffers;

namespace Folio.Versioning.Core.Storage;

/// <summary>
/// A text as the ordered ids of its chunks. Its own id is the text's id (the digest of the concatenated chunks), so
/// it is not stored in the encoding. Loose form: version, count, then 32-byte ids — ids do not compress, so no Brotli.
/// </summary>
public sealed record TextManifest(IReadOnlyList<ContentId> Chunks)
{
    private const byte Version = 1;

    public byte[] Encode()
    {
        var output = new ArrayBufferWriter<byte>(2 + Chunks.Count * ContentId.Size);
        output.Write([Version]);
        Varint.Write(output, (ulong)Chunks.Count);
        foreach (var chunk in Chunks)
        {
            Varint.WriteId(output, chunk);
        }

        return output.WrittenSpan.ToArray();
    }

    public static TextManifest Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty || encoded[0] != Version)
        {
            throw new InvalidDataException("Unknown text manifest version.");
        }

        var position = 1;
        var count = Varint.ReadLength(encoded, ref position, (encoded.Length - position) / ContentId.Size);
        var chunks = new ContentId[count];
        for (var i = 0; i < count; i++)
        {
            chunks[i] = Varint.ReadId(encoded, ref position);
        }

        return position == encoded.Length ? new TextManifest(chunks) : throw new InvalidDataException("Trailing bytes after a text manifest.");
    }
}
