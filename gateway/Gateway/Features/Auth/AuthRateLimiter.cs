using Folio.ServiceDefaults.Redis;

namespace Folio.Gateway.Features.Auth;

/// <summary>
/// Caps sign-in and sign-up attempts per client address in a fixed one-minute window kept in Redis, so the cap
/// holds across gateway replicas and password guessing stays slow.
/// </summary>
public sealed class AuthRateLimiter(IRedisStore redis, IConfiguration configuration)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly int permitsPerWindow = configuration.GetValue("AuthRateLimit:PermitsPerMinute", 20);

    public async Task<bool> TryAcquireAsync(HttpContext context, string action)
    {
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var count = await redis.IncrementInWindowAsync($"folio:ratelimit:{action}:{client}", Window);
        if (count <= permitsPerWindow)
        {
            return true;
        }

        context.Response.Headers.RetryAfter = ((int)Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return false;
    }
}
