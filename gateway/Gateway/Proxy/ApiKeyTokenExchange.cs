using System.Net.Http.Headers;
using System.Security.Claims;
using Folio.Gateway.Features.ApiKeys;
using Folio.ServiceDefaults.Security;
using Yarp.ReverseProxy.Transforms;

namespace Folio.Gateway.Proxy;

/// <summary>
/// Services only understand JWTs. A request the gateway authenticated with an API key is forwarded with a
/// short-lived JWT for the key's owner instead, so services validate one kind of token and never see a key.
/// </summary>
internal static class ApiKeyTokenExchange
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static ValueTask ApplyAsync(RequestTransformContext context)
    {
        var user = context.HttpContext.User;
        if (user.FindFirst(ApiKeyAuthentication.MethodClaim)?.Value != "api_key")
        {
            // An API key that did not authenticate (unknown, revoked, expired) is refused here rather than forwarded:
            // a status other than 200 set by a request transform stops YARP from proxying (problem+json via status pages).
            if (ApiKeyFormat.IsApiKeyHeader(context.HttpContext.Request.Headers.Authorization))
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }

            return ValueTask.CompletedTask;
        }

        var tokens = context.HttpContext.RequestServices.GetRequiredService<TokenIssuer>();
        var token = tokens.Issue(
            Guid.Parse(user.FindFirst("sub")!.Value),
            user.FindFirst("email")!.Value,
            user.FindFirst("name")!.Value,
            Lifetime,
            [new Claim(ApiKeyAuthentication.MethodClaim, "api_key"), new Claim(ApiKeyAuthentication.KeyIdClaim, user.FindFirst(ApiKeyAuthentication.KeyIdClaim)!.Value)]);
        context.ProxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return ValueTask.CompletedTask;
    }
}
