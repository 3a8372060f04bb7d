using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;

namespace Folio.Gateway.Features.ApiKeys;

/// <summary><c>folio_{prefix}_{secret}</c>: the prefix finds the key's row, only the SHA-256 of the whole key is stored.</summary>
public static class ApiKeyFormat
{
    private const string Marker = "folio_";

    public static (string Key, string Prefix, byte[] Hash) Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = $"{Marker}{prefix}_{secret}";
        return (key, prefix, Hash(key));
    }

    public static bool TryParse(string key, out string prefix)
    {
        prefix = "";
        if (!key.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }

        var separator = key.IndexOf('_', Marker.Length);
        if (separator != Marker.Length + 12 || separator == key.Length - 1)
        {
            return false;
        }

        prefix = key[Marker.Length..separator];
        return true;
    }

    public static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    public static bool IsApiKeyHeader(StringValues authorization) =>
        authorization.ToString().StartsWith("Bearer " + Marker, StringComparison.OrdinalIgnoreCase);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
