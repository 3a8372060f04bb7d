using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Folio.ServiceDefaults.Grpc;

public static partial class GrpcEndpointRouteBuilderExtensions
{
    public static IEndpointConventionBuilder MapGrpcUnary<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        GrpcMethod<TRequest, TResponse> method,
        Func<TRequest, GrpcCallContext, Task<TResponse>> handler,
        bool allowAnonymous = false)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        method.RequireKind(GrpcMethodKind.Unary);
        return endpoints.MapGrpc(method, allowAnonymous, async (request, context) =>
        {
            var response = await handler(request, context);
            await GrpcProtocol.WriteMessageAsync(context.HttpContext.Response.BodyWriter, response, context.CancellationToken);
        });
    }

    public static IEndpointConventionBuilder MapGrpcServerStreaming<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        GrpcMethod<TRequest, TResponse> method,
        Func<TRequest, IGrpcStreamWriter<TResponse>, GrpcCallContext, Task> handler,
        bool allowAnonymous = false)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        method.RequireKind(GrpcMethodKind.ServerStreaming);
        return endpoints.MapGrpc(method, allowAnonymous, (request, context) =>
            handler(request, new ResponseStreamWriter<TResponse>(context), context));
    }

    private static IEndpointConventionBuilder MapGrpc<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        GrpcMethod<TRequest, TResponse> method,
        bool allowAnonymous,
        Func<TRequest, GrpcCallContext, Task> invoke)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        var maxMessageSize = endpoints.ServiceProvider.GetRequiredService<IOptions<GrpcServerOptions>>().Value.MaxReceiveMessageSize;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrpcEndpointRouteBuilderExtensions));
        return endpoints.MapPost(method.Path, async http =>
        {
            if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
            {
                http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return;
            }
            http.Response.ContentType = GrpcProtocol.ContentType;
            var timeout = GrpcProtocol.ParseTimeout(http.Request.Headers[GrpcProtocol.TimeoutHeader]);
            using var deadline = timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
            using var call = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, deadline.Token);
            var (status, message) = (GrpcStatusCode.OK, "");
            try
            {
                if (!allowAnonymous && http.User.Identity?.IsAuthenticated != true)
                {
                    throw new GrpcException(GrpcStatusCode.Unauthenticated, "Authentication is required.");
                }
                var request = await GrpcProtocol.ReadMessageAsync(http.Request.Body, method.RequestParser, maxMessageSize, call.Token)
                    ?? throw new GrpcException(GrpcStatusCode.Internal, "Request message is missing.");
                if (await GrpcProtocol.ReadMessageAsync(http.Request.Body, method.RequestParser, maxMessageSize, call.Token) is not null)
                {
                    throw new GrpcException(GrpcStatusCode.Internal, "Request has more than one message.");
                }
                await invoke(request, new GrpcCallContext(http, DateTimeOffset.UtcNow + timeout, call.Token));
                deadline.Token.ThrowIfCancellationRequested();
            }
            catch (Exception) when (deadline.IsCancellationRequested)
            {
                (status, message) = (GrpcStatusCode.DeadlineExceeded, "Deadline exceeded.");
            }
            catch (Exception) when (http.RequestAborted.IsCancellationRequested)
            {
                (status, message) = (GrpcStatusCode.Cancelled, "The client cancelled the call.");
            }
            catch (GrpcException e)
            {
                (status, message) = (e.StatusCode, e.Message);
            }
            catch (Http.ProblemException e)
            {
                (status, message) = (StatusFor(e.StatusCode), e.Message);
            }
            catch (Exception e)
            {
                LogHandlerFailed(logger, e, method.Path);
                (status, message) = (GrpcStatusCode.Internal, "The server failed to handle the call.");
            }
            WriteStatus(http.Response, status, message);
        });
    }

    /// <summary>The same domain refusals REST reports as problem+json, in gRPC's vocabulary.</summary>
    private static GrpcStatusCode StatusFor(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status400BadRequest => GrpcStatusCode.InvalidArgument,
        StatusCodes.Status401Unauthorized => GrpcStatusCode.Unauthenticated,
        StatusCodes.Status403Forbidden => GrpcStatusCode.PermissionDenied,
        StatusCodes.Status404NotFound => GrpcStatusCode.NotFound,
        StatusCodes.Status409Conflict => GrpcStatusCode.Aborted,
        StatusCodes.Status412PreconditionFailed or StatusCodes.Status422UnprocessableEntity or StatusCodes.Status423Locked
            or StatusCodes.Status428PreconditionRequired => GrpcStatusCode.FailedPrecondition,
        StatusCodes.Status429TooManyRequests => GrpcStatusCode.ResourceExhausted,
        StatusCodes.Status503ServiceUnavailable => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };

    private static void WriteStatus(HttpResponse response, GrpcStatusCode status, string message)
    {
        // Nothing sent yet: answer "trailers-only", with the status in the single HEADERS frame.
        Action<string, string> write = response.HasStarted
            ? (name, value) => response.AppendTrailer(name, value)
            : (name, value) => response.Headers[name] = value;
        write(GrpcProtocol.StatusHeader, ((int)status).ToString(CultureInfo.InvariantCulture));
        if (message.Length > 0)
        {
            write(GrpcProtocol.MessageHeader, GrpcProtocol.EncodeMessage(message));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC handler for {Path} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string path);

    private sealed class ResponseStreamWriter<T>(GrpcCallContext context) : IGrpcStreamWriter<T>
        where T : IMessage<T>
    {
        public Task WriteAsync(T message) =>
            GrpcProtocol.WriteMessageAsync(context.HttpContext.Response.BodyWriter, message, context.CancellationToken);
    }
}
