namespace Folio.ServiceDefaults.Grpc;

public sealed class GrpcServerOptions
{
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;
}
