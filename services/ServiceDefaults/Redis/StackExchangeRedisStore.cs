using StackExchange.Redis;

namespace Folio.ServiceDefaults.Redis;

internal sealed class StackExchangeRedisStore : IRedisStore, IDisposable
{
    private readonly Lazy<ConnectionMultiplexer> connection;

    public StackExchangeRedisStore(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Start even when Redis is down; readiness reports it and calls fail until it is back.
        options.AbortOnConnectFail = false;
        connection = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options));
    }

    private IDatabase Database => connection.Value.GetDatabase();

    public async Task<bool> PingAsync()
    {
        try
        {
            await Database.PingAsync();
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async Task<long> IncrementInWindowAsync(string key, TimeSpan window)
    {
        var value = await Database.StringIncrementAsync(key);
        if (value == 1)
        {
            await Database.KeyExpireAsync(key, window);
        }

        return value;
    }

    public async Task<string?> GetAsync(string key) => await Database.StringGetAsync(key);

    public Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan expiry) =>
        Database.StringSetAsync(key, value, expiry, When.NotExists);

    public void Dispose()
    {
        if (connection.IsValueCreated)
        {
            connection.Value.Dispose();
        }
    }
}
