using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Folio.Gateway.Tests;

/// <summary>What the downstream service saw of one request.</summary>
public sealed record SeenRequest(string Path, string Authorization, bool JwtValid, string? Sub, string? AuthMethod, string? ApiKeyId, DateTimeOffset? ExpiresAt);

/// <summary>
/// A tiny real service on 127.0.0.1:0 standing in for Projects: it validates JWTs with the test key exactly as Folio's
/// services do and echoes what it received. The gateway's <c>projects</c> cluster points at it.
/// </summary>
public sealed class ProxyFixture : IAsyncLifetime
{
    private WebApplication? downstream;

    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    public GatewayFactory Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Nothing from the test directory's appsettings (the gateway's, with fixed Kestrel ports) may reach this host.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = TestInfrastructure.JwtIssuer,
                ValidAudience = TestInfrastructure.JwtAudience,
                IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(TestInfrastructure.JwtSigningKey)),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        downstream = builder.Build();
        downstream.Map("/{**path}", async (HttpContext context) =>
        {
            var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
            var principal = result.Succeeded ? result.Principal : null;
            var expires = principal?.FindFirst("exp")?.Value is { } exp ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(exp, System.Globalization.CultureInfo.InvariantCulture)) : (DateTimeOffset?)null;
            var seen = new SeenRequest(
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.ToString(),
                result.Succeeded,
                principal?.FindFirst("sub")?.Value,
                principal?.FindFirst("auth_method")?.Value,
                principal?.FindFirst("api_key_id")?.Value,
                expires);
            Seen.Enqueue(seen);
            return Results.Json(seen);
        });
        await downstream.StartAsync();

        Gateway = new ProxiedGatewayFactory(downstream.Urls.Single());
        Gateway.StartServer();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        if (downstream is not null)
        {
            await downstream.DisposeAsync();
        }
    }

    private sealed class ProxiedGatewayFactory(string downstreamAddress) : GatewayFactory(new Dictionary<string, string?>
    {
        ["ReverseProxy:Clusters:projects:Destinations:primary:Address"] = downstreamAddress,
    });
}

public sealed class ProxyTests(ProxyFixture proxy) : IClassFixture<ProxyFixture>
{
    private GatewayFactory Gateway => proxy.Gateway;

    [Fact]
    public async Task A_request_with_an_api_key_reaches_the_service_with_a_short_lived_jwt_for_the_keys_owner_never_the_key()
    {
        var user = await GatewayUser.RegisterAsync(Gateway);
        var (keyId, key) = await CreateKeyAsync(user);
        using var client = Gateway.CreateIsolatedClient(key);
        var marker = Guid.NewGuid();

        using var response = await client.GetAsync($"/api/v1/projects?marker={marker}");

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        var seen = proxy.Seen.Single(request => request.Path.Contains(marker.ToString(), StringComparison.Ordinal));
        seen.Path.Should().StartWith("/api/v1/projects");
        seen.Authorization.Should().StartWith("Bearer ").And.NotContain("folio_", "the key itself never leaves the gateway");
        seen.Authorization.Should().NotContain(key);
        seen.JwtValid.Should().BeTrue("the gateway exchanges the key for a JWT the service can validate");
        seen.Sub.Should().Be(user.Id.ToString());
        seen.AuthMethod.Should().Be("api_key");
        seen.ApiKeyId.Should().Be(keyId.ToString());
        seen.ExpiresAt.Should().NotBeNull();
        seen.ExpiresAt!.Value.Should().BeAfter(DateTimeOffset.UtcNow).And.BeBefore(DateTimeOffset.UtcNow.AddMinutes(6), "the exchanged token is short-lived");
        new JsonWebToken(seen.Authorization["Bearer ".Length..]).GetClaim("email").Value.Should().Be(user.Email);
    }

    [Fact]
    public async Task A_request_with_a_jwt_reaches_the_service_with_the_same_jwt()
    {
        var user = await GatewayUser.RegisterAsync(Gateway);
        using var client = Gateway.CreateIsolatedClient(user.Token);
        var marker = Guid.NewGuid();

        using var response = await client.PostAsJsonAsync($"/api/v1/projects/{marker}/chapters", new { title = "Chapter one" });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var seen = proxy.Seen.Single(request => request.Path.Contains(marker.ToString(), StringComparison.Ordinal));
        seen.Path.Should().Be($"/api/v1/projects/{marker}/chapters");
        seen.Authorization.Should().Be($"Bearer {user.Token}");
        seen.JwtValid.Should().BeTrue();
        seen.Sub.Should().Be(user.Id.ToString());
        seen.AuthMethod.Should().BeNull();
    }

    [Fact]
    public async Task A_revoked_api_key_is_401_problem_at_the_gateway_and_never_reaches_the_service()
    {
        var user = await GatewayUser.RegisterAsync(Gateway);
        var (keyId, key) = await CreateKeyAsync(user);
        using (var owner = Gateway.CreateIsolatedClient(user.Token))
        {
            using var revoke = await owner.DeleteAsync($"/api/v1/api-keys/{keyId}");
            revoke.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        await ShouldBeRefusedBeforeTheServiceAsync(key);
    }

    [Theory]
    [InlineData("folio_0123456789ab_no-such-key-anywhere")]
    [InlineData("folio_short")]
    public async Task An_unknown_or_malformed_api_key_is_401_problem_at_the_gateway_and_never_reaches_the_service(string key) =>
        await ShouldBeRefusedBeforeTheServiceAsync(key);

    private async Task ShouldBeRefusedBeforeTheServiceAsync(string key)
    {
        using var client = Gateway.CreateIsolatedClient(key);
        var marker = Guid.NewGuid();

        using var get = await client.GetAsync($"/api/v1/projects?marker={marker}");
        using var post = await client.PostAsJsonAsync($"/api/v1/projects?marker={marker}", new { title = "Never forwarded" });

        await get.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await post.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        proxy.Seen.Where(request => request.Path.Contains(marker.ToString(), StringComparison.Ordinal))
            .Should().BeEmpty("a key that does not authenticate is neither forwarded nor exchanged for a token");
    }

    private async Task<(Guid Id, string Key)> CreateKeyAsync(GatewayUser user)
    {
        using var client = Gateway.CreateIsolatedClient(user.Token);
        using var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "integration" });
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        var body = JsonDocument.Parse(text).RootElement;
        return (body.GetProperty("apiKey").GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }
}
