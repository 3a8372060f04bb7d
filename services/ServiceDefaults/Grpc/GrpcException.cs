namespace Folio.ServiceDefaults.Grpc;

/// <summary>A call that ended with a non-OK gRPC status; thrown by handlers and by <see cref="GrpcClient"/>.</summary>
public sealed class GrpcException(GrpcStatusCode statusCode, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public GrpcStatusCode StatusCode { get; } = statusCode;
}
