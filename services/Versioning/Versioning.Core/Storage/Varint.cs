using System.Buffers;

namespace Folio.Versioning.Core.Storage;

/// <summary>LEB128 unsigned integers; reads check bounds so a corrupt object fails with <see cref="InvalidDataException"/>.</summary>
internal static class Varint
{
    public static void Write(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        output.Advance(length);
    }

    public static ulong Read(ReadOnlySpan<byte> source, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= source.Length)
            {
                throw new InvalidDataException("Truncated object.");
            }

            var next = source[position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Malformed number in object.");
    }

    /// <summary>A count or length that must fit what remains of the object.</summary>
    public static int ReadLength(ReadOnlySpan<byte> source, ref int position, int maximum)
    {
        var value = Read(source, ref position);
        return value <= (ulong)maximum ? (int)value : throw new InvalidDataException("Object length out of range.");
    }

    public static ContentId ReadId(ReadOnlySpan<byte> source, ref int position)
    {
        if (source.Length - position < ContentId.Size)
        {
            throw new InvalidDataException("Truncated object.");
        }

        var id = ContentId.Read(source[position..]);
        position += ContentId.Size;
        return id;
    }

    public static void WriteId(IBufferWriter<byte> output, ContentId id)
    {
        id.WriteTo(output.GetSpan(ContentId.Size));
        output.Advance(ContentId.Size);
    }
}
