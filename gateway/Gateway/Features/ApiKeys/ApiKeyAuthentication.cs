using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Folio.Gateway.Features.ApiKeys;

/// <summary>Authenticates <c>Authorization: Bearer folio_…</c> API keys at the gateway.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string MethodClaim = "auth_method";
    public const string KeyIdClaim = "api_key_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!ApiKeyFormat.IsApiKeyHeader(Request.Headers.Authorization))
        {
            return AuthenticateResult.NoResult();
        }

        var header = Request.Headers.Authorization.ToString();

        var owner = await keys.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (owner is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim("sub", owner.UserId.ToString()),
            new Claim("email", owner.Email),
            new Claim("name", owner.DisplayName),
            new Claim(MethodClaim, "api_key"),
            new Claim(KeyIdClaim, owner.KeyId.ToString()),
        ], SchemeName, "email", "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
