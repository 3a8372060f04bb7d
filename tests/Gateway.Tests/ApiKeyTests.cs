using Folio.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Folio.Gateway.Tests;

[Collection(SharedGateway.Name)]
public sealed partial class ApiKeyTests(GatewayFactory gateway)
{
    [Fact]
    public async Task Create_returns_the_key_once_and_the_list_never_contains_the_secret()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        using var client = gateway.CreateIsolatedClient(user.Token);

        using var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "CI pipeline", expiresInDays = 30 });

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        var body = JsonDocument.Parse(text).RootElement;
        var key = body.GetProperty("key").GetString()!;
        KeyFormat().IsMatch(key).Should().BeTrue($"'{key}' should look like folio_<12 hex>_<secret>");
        var apiKey = body.GetProperty("apiKey");
        var keyId = apiKey.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().Should().EndWith($"/api/v1/api-keys/{keyId}");
        apiKey.GetProperty("name").GetString().Should().Be("CI pipeline");
        apiKey.GetProperty("prefix").GetString().Should().Be(key.Split('_')[1]);
        apiKey.GetProperty("expiresAt").GetDateTime().Should().BeCloseTo(DateTime.UtcNow.AddDays(30), TimeSpan.FromMinutes(5));
        apiKey.GetProperty("revokedAt").ValueKind.Should().Be(JsonValueKind.Null);

        using var list = await client.GetAsync("/api/v1/api-keys");
        var listText = await list.Content.ReadAsStringAsync();
        list.StatusCode.Should().Be(HttpStatusCode.OK, listText);
        var secret = key[(key.LastIndexOf('_') + 1)..];
        listText.Should().NotContain(key).And.NotContain(secret);
        var items = JsonDocument.Parse(listText).RootElement.EnumerateArray().ToList();
        items.Should().ContainSingle(item => item.GetProperty("id").GetGuid() == keyId);
        items.Select(item => item.TryGetProperty("key", out _)).Should().NotContain(true, "only creation returns the key");
    }

    [Fact]
    public async Task The_key_authenticates_me_as_its_owner()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        var (_, key) = await CreateKeyAsync(user, "script");

        using var client = gateway.CreateIsolatedClient(key);
        using var response = await client.GetAsync("/api/v1/auth/me");

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        var me = JsonDocument.Parse(text).RootElement;
        me.GetProperty("id").GetGuid().Should().Be(user.Id);
        me.GetProperty("email").GetString().Should().Be(user.Email);
    }

    [Fact]
    public async Task A_key_with_a_tampered_secret_does_not_authenticate()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        var (_, key) = await CreateKeyAsync(user, "tamper");
        var tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        using var client = gateway.CreateIsolatedClient(tampered);
        using var response = await client.GetAsync("/api/v1/auth/me");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_key_no_longer_authenticates_and_cannot_be_revoked_twice()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        var (keyId, key) = await CreateKeyAsync(user, "short-lived");
        using var owner = gateway.CreateIsolatedClient(user.Token);
        using var withKey = gateway.CreateIsolatedClient(key);
        (await withKey.GetAsync("/api/v1/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var revoke = await owner.DeleteAsync($"/api/v1/api-keys/{keyId}");
        revoke.StatusCode.Should().Be(HttpStatusCode.NoContent, await revoke.Content.ReadAsStringAsync());

        using var afterRevoke = await withKey.GetAsync("/api/v1/auth/me");
        await afterRevoke.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        var listed = (await owner.GetFromJsonAsync<JsonElement>("/api/v1/api-keys")).EnumerateArray().Single(item => item.GetProperty("id").GetGuid() == keyId);
        listed.GetProperty("revokedAt").ValueKind.Should().NotBe(JsonValueKind.Null);

        using var again = await owner.DeleteAsync($"/api/v1/api-keys/{keyId}");
        await again.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_expired_key_no_longer_authenticates()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        var (keyId, key) = await CreateKeyAsync(user, "expiring", expiresInDays: 1);
        using var withKey = gateway.CreateIsolatedClient(key);
        (await withKey.GetAsync("/api/v1/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        await gateway.ExecuteAsync("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = @keyId", new { keyId });

        using var response = await withKey.GetAsync("/api/v1/auth/me");
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_user_cannot_see_or_revoke_my_key()
    {
        var me = await GatewayUser.RegisterAsync(gateway);
        var stranger = await GatewayUser.RegisterAsync(gateway);
        var (keyId, key) = await CreateKeyAsync(me, "mine");
        using var strangerClient = gateway.CreateIsolatedClient(stranger.Token);

        using var revoke = await strangerClient.DeleteAsync($"/api/v1/api-keys/{keyId}");
        await revoke.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var strangersList = await strangerClient.GetFromJsonAsync<JsonElement>("/api/v1/api-keys");
        strangersList.EnumerateArray().Should().BeEmpty();

        using var withKey = gateway.CreateIsolatedClient(key);
        using var stillWorks = await withKey.GetAsync("/api/v1/auth/me");
        stillWorks.StatusCode.Should().Be(HttpStatusCode.OK, "a failed revocation by someone else leaves the key alone");
        (await stillWorks.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid().Should().Be(me.Id);
    }

    [Fact]
    public async Task Revoking_a_key_that_never_existed_is_404_problem()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        using var client = gateway.CreateIsolatedClient(user.Token);

        using var response = await client.DeleteAsync($"/api/v1/api-keys/{Guid.NewGuid()}");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, object> InvalidKeyRequests() => new()
    {
        { "Name", new { name = "" } },
        { "Name", new { name = "   " } },
        { "Name", new { expiresInDays = 10 } },
        { "Name", new { name = new string('n', 101) } },
        { "ExpiresInDays", new { name = "ok", expiresInDays = 0 } },
        { "ExpiresInDays", new { name = "ok", expiresInDays = -3 } },
        { "ExpiresInDays", new { name = "ok", expiresInDays = 3651 } },
    };

    [Theory]
    [MemberData(nameof(InvalidKeyRequests))]
    public async Task Invalid_input_is_400_validation_problem_and_creates_no_key(string field, object request)
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        using var client = gateway.CreateIsolatedClient(user.Token);

        using var response = await client.PostAsJsonAsync("/api/v1/api-keys", request);

        await response.ShouldBeValidationProblemAsync(field);
        (await gateway.CountApiKeysOfAsync(user.Id)).Should().Be(0);
    }

    [Fact]
    public async Task Api_keys_endpoints_need_authentication()
    {
        using var anonymous = gateway.CreateIsolatedClient();

        using var create = await anonymous.PostAsJsonAsync("/api/v1/api-keys", new { name = "anonymous" });
        using var list = await anonymous.GetAsync("/api/v1/api-keys");
        using var revoke = await anonymous.DeleteAsync($"/api/v1/api-keys/{Guid.NewGuid()}");

        await create.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await list.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await revoke.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    private async Task<(Guid Id, string Key)> CreateKeyAsync(GatewayUser user, string name, int? expiresInDays = null)
    {
        using var client = gateway.CreateIsolatedClient(user.Token);
        using var response = await client.PostAsJsonAsync("/api/v1/api-keys", new { name, expiresInDays });
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        var body = JsonDocument.Parse(text).RootElement;
        return (body.GetProperty("apiKey").GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    [GeneratedRegex("^folio_[0-9a-f]{12}_[A-Za-z0-9_-]{20,}$")]
    private static partial Regex KeyFormat();
}
