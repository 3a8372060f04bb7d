using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Folio.ServiceDefaults.Security;

public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Signs the JWTs every service validates on its own: the gateway for users at login, and a service for a user's
/// background work that has no request to take a token from (a short-lived token for that user only).
/// </summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();
    private readonly SigningCredentials credentials = new(options.Value.CreateSigningKey(), SecurityAlgorithms.HmacSha256);

    public AccessToken Issue(Guid userId, string email, string displayName, TimeSpan? lifetime = null, IEnumerable<Claim>? extraClaims = null)
    {
        var now = clock.GetUtcNow();
        var expiresAt = now + (lifetime ?? options.Value.TokenLifetime);
        var claims = new List<Claim>
        {
            new("sub", userId.ToString()),
            new("email", email),
            new("name", displayName),
            new("jti", Guid.NewGuid().ToString()),
        };
        claims.AddRange(extraClaims ?? []);

        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = credentials,
        });
        return new AccessToken(token, expiresAt);
    }
}
