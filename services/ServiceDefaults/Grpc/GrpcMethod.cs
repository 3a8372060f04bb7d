using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Folio.ServiceDefaults.Grpc;

public enum GrpcMethodKind
{
    Unary,
    ServerStreaming,
}

public static class GrpcMethod
{
    public static GrpcMethod<TRequest, TResponse> Unary<TRequest, TResponse>(FileDescriptor file, string service, string method)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new() =>
        new(file, service, method, GrpcMethodKind.Unary);

    public static GrpcMethod<TRequest, TResponse> ServerStreaming<TRequest, TResponse>(FileDescriptor file, string service, string method)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new() =>
        new(file, service, method, GrpcMethodKind.ServerStreaming);
}

/// <summary>A method of a .proto service, checked against its descriptor so a mismatch fails at start-up rather than on the wire.</summary>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : IMessage<TRequest>, new()
    where TResponse : IMessage<TResponse>, new()
{
    internal GrpcMethod(FileDescriptor file, string serviceName, string methodName, GrpcMethodKind kind)
    {
        var service = file.Services.FirstOrDefault(s => s.Name == serviceName)
            ?? throw new ArgumentException($"Service '{serviceName}' is not declared in '{file.Name}'.", nameof(serviceName));
        Descriptor = service.FindMethodByName(methodName)
            ?? throw new ArgumentException($"Method '{methodName}' is not declared in service '{service.FullName}'.", nameof(methodName));
        CheckType(Descriptor.InputType, typeof(TRequest));
        CheckType(Descriptor.OutputType, typeof(TResponse));
        var declared = (Descriptor.IsClientStreaming, Descriptor.IsServerStreaming) switch
        {
            (false, false) => GrpcMethodKind.Unary,
            (false, true) => GrpcMethodKind.ServerStreaming,
            _ => throw new NotSupportedException($"'{Descriptor.FullName}' uses client streaming, which is not supported."),
        };
        if (declared != kind)
        {
            throw new ArgumentException($"'{Descriptor.FullName}' is {declared}, not {kind}.", nameof(kind));
        }
        Kind = kind;
        Path = $"/{service.FullName}/{Descriptor.Name}";
    }

    public MethodDescriptor Descriptor { get; }

    public GrpcMethodKind Kind { get; }

    /// <summary>The HTTP/2 path, e.g. <c>/folio.versioning.v1.Repositories/GetRepository</c>.</summary>
    public string Path { get; }

    public MessageParser<TRequest> RequestParser { get; } = new(() => new TRequest());

    public MessageParser<TResponse> ResponseParser { get; } = new(() => new TResponse());

    public override string ToString() => Path;

    internal void RequireKind(GrpcMethodKind kind)
    {
        if (Kind != kind)
        {
            throw new ArgumentException($"{Path} is {Kind}; it cannot be used as {kind}.");
        }
    }

    private void CheckType(MessageDescriptor declared, Type actual)
    {
        if (declared.ClrType != actual)
        {
            throw new ArgumentException($"'{Descriptor.FullName}' uses '{declared.FullName}', not {actual.Name}.");
        }
    }
}
