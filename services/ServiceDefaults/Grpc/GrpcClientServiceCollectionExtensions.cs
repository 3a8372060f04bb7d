using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Folio.ServiceDefaults.Grpc;

public static class GrpcClientServiceCollectionExtensions
{
    /// <summary>Registers a named HTTP/2 cleartext client for the gRPC server at <paramref name="address"/>.</summary>
    public static IHttpClientBuilder AddGrpcClient(this IServiceCollection services, string name, Func<IServiceProvider, Uri> address)
    {
        services.TryAddSingleton<IGrpcClientFactory, GrpcClientFactory>();
        return services
            .AddHttpClient(name, (provider, client) =>
            {
                client.BaseAddress = address(provider);
                // Each call carries its own deadline; a long server stream must not be cut at HttpClient's 100 s.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            // One HTTP/2 connection allows only ~100 concurrent streams; open more instead of queueing calls.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
    }

    /// <summary>Registers a named client whose address is read from configuration, e.g. <c>Grpc:Versioning</c>.</summary>
    public static IHttpClientBuilder AddGrpcClient(this IServiceCollection services, string name, string addressConfigurationKey) =>
        services.AddGrpcClient(name, provider => new Uri(
            provider.GetRequiredService<IConfiguration>()[addressConfigurationKey]
                ?? throw new InvalidOperationException($"Configuration value '{addressConfigurationKey}' (gRPC address of '{name}') is missing.")));
}
