namespace Folio.ServiceDefaults.Grpc;

/// <summary>Creates clients for the names registered with <c>AddGrpcClient</c>.</summary>
public interface IGrpcClientFactory
{
    GrpcClient Create(string name);
}

internal sealed class GrpcClientFactory(IHttpClientFactory httpClientFactory) : IGrpcClientFactory
{
    public GrpcClient Create(string name) => new(httpClientFactory.CreateClient(name));
}
