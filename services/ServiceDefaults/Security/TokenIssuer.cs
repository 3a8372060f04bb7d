using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Folio.ServiceDefaults.Security;

public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Signs the JWTs every service validates on its own: the gateway's for users, and a service's own short-lived
/// token when it acts for a user outside any request of theirs (a generation job, an export).
/// </summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();
    private readonly SigningCredentials credentials = new(options.Value.CreateSigningKey(), SecurityAlgorithms.HmacSha256);

    public AccessToken Issue(Guid userId, string email, string displayName, TimeSpan? lifetime = null, IEnumerable<Claim>? extraClaims = null) =>
        Sign([new("sub", userId.ToString()), new("email", email), new("name", displayName), .. extraClaims ?? []], lifetime ?? options.Value.TokenLifetime);

    /// <summary>
    /// A token for work a service does on a user's behalf with no request of theirs to take a token from (a generation
    /// job, a continuity check, an export): the user stays the subject, so every ownership check holds; <c>azp</c> names
    /// the service, so logs and audits tell it from the user's own requests; it lives minutes, not hours.
    /// </summary>
    public AccessToken IssueOnBehalfOf(Guid userId, string service, TimeSpan lifetime) =>
        Sign([new("sub", userId.ToString()), new("azp", service)], lifetime);

    private AccessToken Sign(IEnumerable<Claim> claims, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow();
        var expiresAt = now + lifetime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Subject = new ClaimsIdentity([.. claims, new Claim("jti", Guid.NewGuid().ToString())]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = credentials,
        });
        return new AccessToken(token, expiresAt);
    }
}
