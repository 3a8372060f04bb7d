using System.Net;

namespace Folio.Gateway.Tests;

/// <summary>The SPA's origin (appsettings Cors:Origins) may call the auth endpoints from the browser; others may not.</summary>
[Collection(SharedGateway.Name)]
public sealed class CorsTests(GatewayFactory gateway)
{
    private const string SpaOrigin = "http://localhost:5173";

    [Theory]
    [InlineData("/api/v1/auth/login", "POST")]
    [InlineData("/api/v1/api-keys", "GET")]
    [InlineData("/api/v1/projects", "POST")]
    public async Task A_preflight_from_the_spa_origin_is_allowed(string path, string method)
    {
        using var client = gateway.CreateIsolatedClient();

        using var request = Preflight(path, method, SpaOrigin);
        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(SpaOrigin);
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")).Should().Contain(method);
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToUpperInvariant().Should().Contain("AUTHORIZATION");
    }

    [Fact]
    public async Task A_preflight_from_another_origin_gets_no_permission()
    {
        using var client = gateway.CreateIsolatedClient();

        using var request = Preflight("/api/v1/auth/login", "POST", "https://evil.example");
        using var response = await client.SendAsync(request);

        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    private static HttpRequestMessage Preflight(string path, string method, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }
}
