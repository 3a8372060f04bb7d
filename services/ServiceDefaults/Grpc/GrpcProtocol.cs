using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Google.Protobuf;

namespace Folio.ServiceDefaults.Grpc;

/// <summary>The parts of the gRPC-over-HTTP/2 wire format shared by server and client.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;
    private const int FrameHeaderSize = 5;

    public static bool IsGrpcContentType(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        return string.Equals(mediaType, ContentType, StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, ContentType + "+proto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads one length-prefixed message, or null at the clean end of the stream.</summary>
    public static async Task<T?> ReadMessageAsync<T>(Stream stream, MessageParser<T> parser, int maxSize, CancellationToken ct)
        where T : IMessage<T>
    {
        var header = new byte[FrameHeaderSize];
        var read = await stream.ReadAtLeastAsync(header, FrameHeaderSize, throwOnEndOfStream: false, ct);
        if (read == 0)
        {
            return default;
        }
        if (read < FrameHeaderSize)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "Incomplete message frame.");
        }
        switch (header[0])
        {
            case 0:
                break;
            case 1:
                throw new GrpcException(GrpcStatusCode.Unimplemented, "Compressed messages are not supported.");
            default:
                throw new GrpcException(GrpcStatusCode.Internal, $"Invalid message frame flag {header[0]}.");
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > maxSize)
        {
            throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {maxSize}).");
        }
        var payload = new byte[length];
        if (await stream.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, ct) < payload.Length)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "Incomplete message.");
        }
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "Failed to deserialize message.", e);
        }
    }

    public static async Task WriteMessageAsync(PipeWriter writer, IMessage message, CancellationToken ct)
    {
        // A frame buffered after the deadline would be flushed along with the DEADLINE_EXCEEDED status.
        ct.ThrowIfCancellationRequested();
        WriteFrameHeader(writer.GetSpan(FrameHeaderSize), message.CalculateSize());
        writer.Advance(FrameHeaderSize);
        message.WriteTo(writer);
        await writer.FlushAsync(ct);
    }

    public static byte[] ToFrame(IMessage message)
    {
        var size = message.CalculateSize();
        var frame = new byte[FrameHeaderSize + size];
        WriteFrameHeader(frame, size);
        message.WriteTo(frame.AsSpan(FrameHeaderSize));
        return frame;
    }

    private static void WriteFrameHeader(Span<byte> header, int size)
    {
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)size);
    }

    /// <summary>Parses <c>grpc-timeout</c> (<c>1-8 digits + H|M|S|m|u|n</c>); malformed values mean no deadline.</summary>
    public static TimeSpan? ParseTimeout(string? value)
    {
        if (value is not { Length: >= 2 and <= 9 }
            || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }
        var ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TimeSpan.TicksPerMicrosecond,
            'n' => amount / TimeSpan.NanosecondsPerTick,
            _ => -1,
        };
        // CancellationTokenSource cannot wait longer than int.MaxValue milliseconds (~24 days).
        return ticks < 0 ? null : TimeSpan.FromTicks(Math.Min(ticks, int.MaxValue * TimeSpan.TicksPerMillisecond));
    }

    public static string FormatTimeout(TimeSpan timeout)
    {
        // The value may have at most 8 digits: milliseconds up to ~27 hours, seconds beyond.
        var milliseconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));
        return milliseconds < 100_000_000
            ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds}m")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Min((milliseconds + 999) / 1000, 99_999_999)}S");
    }

    /// <summary>Percent-encodes <c>grpc-message</c> as the spec asks: UTF-8, everything outside printable ASCII and '%' escaped.</summary>
    public static string EncodeMessage(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    public static string DecodeMessage(string? message) => message is null ? "" : Uri.UnescapeDataString(message);
}
