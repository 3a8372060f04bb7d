namespace Folio.ServiceDefaults.Redis;

/// <summary>
/// The little of Redis that Folio uses, behind one interface: StackExchange.Redis 1.2.6 is the only client that
/// restores here, and upgrading it should touch one file.
/// </summary>
public interface IRedisStore
{
    Task<bool> PingAsync();

    /// <summary>Increments a counter that expires <paramref name="window"/> after its first increment; returns the new value.</summary>
    Task<long> IncrementInWindowAsync(string key, TimeSpan window);

    Task<string?> GetAsync(string key);

    /// <summary>Sets the key only when it does not exist; returns whether it did.</summary>
    Task<bool> SetIfAbsentAsync(string key, string value, TimeSpan expiry);
}
