using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Folio.Gateway.Tests;

/// <summary>A registered account: what a test needs to act as it.</summary>
public sealed record GatewayUser(Guid Id, string Email, string Password, string Token)
{
    public const string GoodPassword = "Correct-horse-42";

    public static string NewEmail(string name = "writer") => $"{name}-{Guid.NewGuid():N}@example.com";

    public static async Task<GatewayUser> RegisterAsync(GatewayFactory gateway, string? email = null)
    {
        email ??= NewEmail();
        using var client = gateway.CreateIsolatedClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = GoodPassword, displayName = "Writer" });
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        var body = JsonDocument.Parse(text).RootElement;
        return new GatewayUser(body.GetProperty("user").GetProperty("id").GetGuid(), email, GoodPassword, body.GetProperty("accessToken").GetString()!);
    }
}
