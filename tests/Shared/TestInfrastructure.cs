using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Folio.Tests.Infrastructure;

/// <summary>
/// The private PostgreSQL, RabbitMQ and Redis that ./test.sh starts (deploy/local/infra.sh with test ports).
/// A test that needs them and finds them missing fails with this message; it never skips.
/// </summary>
public static class TestInfrastructure
{
    public const string JwtIssuer = "folio";
    public const string JwtAudience = "folio";

    /// <summary>A throwaway key for tests only: base64 of 48 fixed bytes, never used outside test processes.</summary>
    public static readonly string JwtSigningKey = Convert.ToBase64String(Enumerable.Range(1, 48).Select(i => (byte)(i * 7)).ToArray());

    public static string PostgresHost => Required("FOLIO_PG_HOST");

    public static int PostgresPort => int.Parse(Required("FOLIO_PG_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RabbitHost => Required("RabbitMq__Host");

    public static string RabbitPort => Required("RabbitMq__Port");

    public static string RedisConfiguration => Required("Redis__Configuration");

    /// <summary>A connection string to a fresh database name; services create it on start (Database:CreateIfMissing).</summary>
    public static string NewDatabase(string purpose) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = PostgresHost,
            Port = PostgresPort,
            Username = Required("FOLIO_PG_USER"),
            Password = Required("FOLIO_PG_PASSWORD"),
            Database = $"test_{purpose}_{Guid.NewGuid():N}"[..40].ToLowerInvariant(),
        }.ConnectionString;

    /// <summary>Configuration every Folio process under test gets: infrastructure, JWT settings, database creation.</summary>
    public static Dictionary<string, string?> ServiceSettings() => new()
    {
        ["RabbitMq:Host"] = RabbitHost,
        ["RabbitMq:Port"] = RabbitPort,
        ["RabbitMq:Username"] = Required("RabbitMq__Username"),
        ["RabbitMq:Password"] = Required("RabbitMq__Password"),
        ["Redis:Configuration"] = RedisConfiguration,
        ["Jwt:Issuer"] = JwtIssuer,
        ["Jwt:Audience"] = JwtAudience,
        ["Jwt:SigningKey"] = JwtSigningKey,
        ["Database:CreateIfMissing"] = "true",
    };

    /// <summary>The client acting as <paramref name="userId"/> with a token from <see cref="TokenFor"/>; anonymous for null.</summary>
    public static HttpClient SignedInAs(this HttpClient client, Guid? userId)
    {
        if (userId is { } id)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TokenFor(id));
        }

        return client;
    }

    /// <summary>A token as the gateway would issue it, for tests that call a service directly.</summary>
    public static string TokenFor(Guid userId, string? email = null, TimeSpan? lifetime = null, string? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = JwtIssuer,
            Audience = JwtAudience,
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("email", email ?? $"{userId:N}@example.com")]),
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(signingKey ?? JwtSigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: this test needs the private PostgreSQL, RabbitMQ and Redis. Run it through ./test.sh, " +
                "or start them with `eval \"$(deploy/local/infra.sh up)\"` in the shell that runs dotnet test.");
}
