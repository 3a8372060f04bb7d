using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Folio.Versioning.Core.Storage;

/// <summary>
/// The SHA-256 of an object, written as 64 lowercase hex digits. A text's id is the digest of its UTF-8 bytes, so
/// anyone can check it; a chunk's id is domain-separated so a one-chunk text and its chunk never share an id.
/// Held as four words so ids are cheap dictionary keys.
/// </summary>
public readonly record struct ContentId
{
    public const int Size = 32;

    private static readonly byte[] ChunkDomain = "folio-chunk\0"u8.ToArray();

    private readonly ulong first;
    private readonly ulong second;
    private readonly ulong third;
    private readonly ulong fourth;

    private ContentId(ReadOnlySpan<byte> digest)
    {
        first = BinaryPrimitives.ReadUInt64BigEndian(digest);
        second = BinaryPrimitives.ReadUInt64BigEndian(digest[8..]);
        third = BinaryPrimitives.ReadUInt64BigEndian(digest[16..]);
        fourth = BinaryPrimitives.ReadUInt64BigEndian(digest[24..]);
    }

    /// <summary>The id of a whole text.</summary>
    public static ContentId OfText(ReadOnlySpan<byte> utf8)
    {
        Span<byte> digest = stackalloc byte[Size];
        SHA256.HashData(utf8, digest);
        return new ContentId(digest);
    }

    /// <summary>The id of one chunk of a text.</summary>
    public static ContentId OfChunk(ReadOnlySpan<byte> chunk)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(ChunkDomain);
        hash.AppendData(chunk);
        Span<byte> digest = stackalloc byte[Size];
        hash.GetHashAndReset(digest);
        return new ContentId(digest);
    }

    public static ContentId Read(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= Size ? new ContentId(bytes[..Size]) : throw new InvalidDataException("A content id needs 32 bytes.");

    public static ContentId Parse(string hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException($"'{hex}' is not a content id (64 hex digits).");

    public static bool TryParse([NotNullWhen(true)] string? hex, out ContentId id)
    {
        id = default;
        if (hex is not { Length: Size * 2 })
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[Size];
        if (Convert.FromHexString(hex, digest, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        id = new ContentId(digest);
        return true;
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, first);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], second);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], third);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], fourth);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    public override string ToString()
    {
        Span<byte> digest = stackalloc byte[Size];
        WriteTo(digest);
        return Convert.ToHexStringLower(digest);
    }
}
