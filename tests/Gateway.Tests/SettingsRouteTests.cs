using System.Net;
using System.Net.Http.Json;

namespace Folio.Gateway.Tests;

/// <summary>User settings live in Projects: the gateway forwards the bare path and anything under it to the projects cluster.</summary>
public sealed class SettingsRouteTests(ProxyFixture proxy) : IClassFixture<ProxyFixture>
{
    [Theory]
    [InlineData("/api/v1/settings")]
    [InlineData("/api/v1/settings/")]
    public async Task Settings_requests_reach_the_projects_service(string path)
    {
        var user = await GatewayUser.RegisterAsync(proxy.Gateway);
        using var client = proxy.Gateway.CreateIsolatedClient(user.Token);
        var marker = Guid.NewGuid();

        using var get = await client.GetAsync($"{path}?marker={marker}");
        using var put = await client.PutAsJsonAsync($"{path}?marker={marker}", new { timeZone = "UTC" });

        get.StatusCode.Should().Be(HttpStatusCode.OK, await get.Content.ReadAsStringAsync());
        put.StatusCode.Should().Be(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        proxy.Seen.Where(request => request.Path.Contains(marker.ToString(), StringComparison.Ordinal))
            .Should().HaveCount(2).And.OnlyContain(request => request.Path.StartsWith(path, StringComparison.Ordinal) && request.Sub == user.Id.ToString());
    }
}
