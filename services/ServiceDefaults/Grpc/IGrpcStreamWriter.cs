namespace Folio.ServiceDefaults.Grpc;

public interface IGrpcStreamWriter<in T>
{
    Task WriteAsync(T message);
}
