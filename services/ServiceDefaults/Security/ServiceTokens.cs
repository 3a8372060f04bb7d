using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Folio.ServiceDefaults.Security;

/// <summary>
/// Background work (a message consumer) has no caller's token, yet other services check ownership on every call.
/// It acts for the project's owner with a short-lived token signed with the shared Jwt settings; the <c>azp</c> claim
/// names the service that minted it, so logs and audits can tell it from the user's own requests.
/// </summary>
public sealed class ServiceTokens(IOptions<JwtOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(2);

    private readonly JsonWebTokenHandler handler = new();
    private readonly Lazy<SigningCredentials> credentials = new(() => new SigningCredentials(options.Value.CreateSigningKey(), SecurityAlgorithms.HmacSha256));

    public string ForOwner(Guid ownerId, string service, TimeSpan? lifetime = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            Subject = new ClaimsIdentity([new Claim("sub", ownerId.ToString()), new Claim("azp", service), new Claim("jti", Guid.NewGuid().ToString())]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? DefaultLifetime),
            SigningCredentials = credentials.Value,
        });
    }
}
