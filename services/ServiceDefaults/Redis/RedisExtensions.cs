using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Folio.ServiceDefaults.Redis;

public static class RedisExtensions
{
    /// <summary>One Redis connection per process from <c>Redis:Configuration</c> (StackExchange.Redis syntax), in the readiness check.</summary>
    public static IHostApplicationBuilder AddFolioRedis(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration["Redis:Configuration"]
            ?? throw new InvalidOperationException("Redis:Configuration is not set.");
        builder.Services.AddSingleton<IRedisStore>(_ => new StackExchangeRedisStore(configuration));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [Extensions.ReadyTag]);
        return builder;
    }
}

internal sealed class RedisHealthCheck(IRedisStore redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await redis.PingAsync() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Redis is not reachable.");
}
