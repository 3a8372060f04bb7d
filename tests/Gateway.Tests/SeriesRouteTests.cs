using System.Net;
using System.Net.Http.Json;

namespace Folio.Gateway.Tests;

public sealed class SeriesRouteTests(ProxyFixture proxy) : IClassFixture<ProxyFixture>
{
    [Theory]
    [InlineData("/api/v1/series")]
    [InlineData("/api/v1/series/{0}/books")]
    [InlineData("/api/v1/series/{0}/characters")]
    public async Task Series_requests_reach_the_projects_service_with_the_callers_jwt(string template)
    {
        var user = await GatewayUser.RegisterAsync(proxy.Gateway);
        using var client = proxy.Gateway.CreateIsolatedClient(user.Token);
        var marker = Guid.NewGuid();
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker) + $"?marker={marker}";

        using var response = await client.PostAsJsonAsync(path, new { title = "Saga" });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var seen = proxy.Seen.Single(request => request.Path.Contains(marker.ToString(), StringComparison.Ordinal));
        seen.Path.Should().Be(path);
        seen.Sub.Should().Be(user.Id.ToString());
    }
}
