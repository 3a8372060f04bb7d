using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace Folio.ServiceDefaults.Grpc;

/// <summary>Calls gRPC methods over an <see cref="HttpClient"/> whose base address is the server's HTTP/2 (cleartext) endpoint.</summary>
public sealed class GrpcClient(HttpClient http)
{
    private static readonly GrpcCallOptions DefaultOptions = new();

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, TRequest request, GrpcCallOptions? options = null, CancellationToken ct = default)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        method.RequireKind(GrpcMethodKind.Unary);
        var responses = new List<TResponse>(1);
        await foreach (var response in CallAsync(method, request, options ?? DefaultOptions, ct))
        {
            responses.Add(response);
        }
        return responses.Count == 1
            ? responses[0]
            : throw new GrpcException(GrpcStatusCode.Internal, $"Unary call returned {responses.Count} messages.");
    }

    public IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, TRequest request, GrpcCallOptions? options = null, CancellationToken ct = default)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        method.RequireKind(GrpcMethodKind.ServerStreaming);
        return CallAsync(method, request, options ?? DefaultOptions, ct);
    }

    private async IAsyncEnumerable<TResponse> CallAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, TRequest request, GrpcCallOptions options, [EnumeratorCancellation] CancellationToken ct)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        using var deadline = options.Deadline is { } d ? new CancellationTokenSource(d) : new CancellationTokenSource();
        using var call = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        using var httpRequest = CreateRequest(method.Path, request, options);
        using var response = await Guard(() => http.SendAsync(httpRequest, HttpCompletionOption.ResponseHeadersRead, call.Token), deadline);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new GrpcException(FromHttpStatus(response.StatusCode), $"Bad gRPC response: HTTP status {(int)response.StatusCode}.");
        }
        if (!GrpcProtocol.IsGrpcContentType(response.Content.Headers.ContentType?.MediaType))
        {
            throw new GrpcException(GrpcStatusCode.Internal, $"Bad gRPC response: content type '{response.Content.Headers.ContentType}'.");
        }
        var body = await Guard(() => response.Content.ReadAsStreamAsync(call.Token), deadline);
        while (await Guard(() => GrpcProtocol.ReadMessageAsync(body, method.ResponseParser, options.MaxReceiveMessageSize, call.Token), deadline) is { } message)
        {
            yield return message;
        }
        ThrowIfNotOk(response);
    }

    private static HttpRequestMessage CreateRequest(string path, IMessage message, GrpcCallOptions options)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(GrpcProtocol.ToFrame(message)) { Headers = { ContentType = new(GrpcProtocol.ContentType) } },
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (options.Deadline is { } deadline)
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.FormatTimeout(deadline));
        }
        if (options.BearerToken is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        foreach (var (name, value) in options.Metadata ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    /// <summary>Turns transport failures into the status codes the gRPC spec gives them.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> action, CancellationTokenSource deadline)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is not GrpcException && deadline.IsCancellationRequested)
        {
            throw new GrpcException(GrpcStatusCode.DeadlineExceeded, "Deadline exceeded.", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            var code = (e as HttpProtocolException ?? e.InnerException as HttpProtocolException)?.ErrorCode switch
            {
                null or 0x7 => GrpcStatusCode.Unavailable, // no HTTP/2 stream error (connection failed) or REFUSED_STREAM
                0x8 => GrpcStatusCode.Cancelled, // CANCEL
                0xb => GrpcStatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
                _ => GrpcStatusCode.Internal,
            };
            throw new GrpcException(code, e.Message, e);
        }
    }

    private static void ThrowIfNotOk(HttpResponseMessage response)
    {
        // Trailers-only responses carry the status in the headers.
        var headers = response.TrailingHeaders.Contains(GrpcProtocol.StatusHeader) ? response.TrailingHeaders : response.Headers;
        var status = headers.TryGetValues(GrpcProtocol.StatusHeader, out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                ? (GrpcStatusCode)code
                : throw new GrpcException(GrpcStatusCode.Internal, "The response has no grpc-status.");
        if (status != GrpcStatusCode.OK)
        {
            var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages) ? messages.FirstOrDefault() : null;
            throw new GrpcException(status, GrpcProtocol.DecodeMessage(message));
        }
    }

    private static GrpcStatusCode FromHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => GrpcStatusCode.Internal,
        HttpStatusCode.Unauthorized => GrpcStatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => GrpcStatusCode.PermissionDenied,
        HttpStatusCode.NotFound => GrpcStatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };
}
