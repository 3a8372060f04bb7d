using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Folio.Generation.Api.Features.Settings;
using Folio.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.Generation.Tests.Settings;

[Collection(SharedGenerationApi.Name)]
public sealed class ProviderSettingsTests(GenerationApiFactory factory)
{
    private static Task<HttpResponseMessage> PutAsync(HttpClient client, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/generation/settings") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }

    [Fact]
    public async Task The_offline_writer_is_the_default_and_a_real_provider_is_stored_with_its_key_encrypted_and_never_shown()
    {
        var userId = Guid.NewGuid();
        using var client = factory.ClientFor(userId);
        using (var defaults = await client.GetAsync(new Uri("/api/v1/generation/settings", UriKind.Relative)))
        {
            (await defaults.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("provider").GetString().Should().Be("offline");
            defaults.Headers.ETag!.Tag.Should().Be("\"1\"");
        }

        const string secret = "sk-ant-test-0123456789";
        using (var saved = await PutAsync(client, new { provider = "anthropic", model = "claude-sonnet-4-5", temperature = 0.8, maxTokens = 8000, apiKey = secret }, "\"1\""))
        {
            var text = await saved.Content.ReadAsStringAsync();
            saved.StatusCode.Should().Be(HttpStatusCode.OK, text);
            text.Should().NotContain(secret, "the key is write-only");
            JsonDocument.Parse(text).RootElement.GetProperty("hasApiKey").GetBoolean().Should().BeTrue();
            saved.Headers.ETag!.Tag.Should().Be("\"2\"");
        }

        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        var stored = await connection.QuerySingleAsync<byte[]>("SELECT encrypted_api_key FROM provider_settings WHERE user_id = @userId", new { userId });
        System.Text.Encoding.UTF8.GetString(stored).Should().NotContain(secret);
        factory.Services.GetRequiredService<ApiKeyProtector>().Unprotect(stored).Should().Be(secret);

        // Changing the model without sending a key keeps the key; an empty key removes it.
        using (var keep = await PutAsync(client, new { provider = "anthropic", model = "claude-opus-4-1" }, "\"2\""))
        {
            (await keep.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("hasApiKey").GetBoolean().Should().BeTrue();
        }

        using (var remove = await PutAsync(client, new { provider = "offline", apiKey = "" }, "\"3\""))
        {
            (await remove.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("hasApiKey").GetBoolean().Should().BeFalse();
        }

        (await (await client.GetAsync(new Uri("/api/v1/generation/providers", UriKind.Relative))).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("selected").GetString().Should().Be("offline");
    }

    [Fact]
    public async Task Stale_or_missing_if_match_is_refused_and_nothing_changes()
    {
        using var client = factory.ClientFor(Guid.NewGuid());
        (await PutAsync(client, new { provider = "openai-compatible", model = "llama3.1", baseUrl = "http://127.0.0.1:11434/v1" }, "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var stale = await PutAsync(client, new { provider = "offline" }, "\"1\""))
        {
            await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var missing = await PutAsync(client, new { provider = "offline" }, null))
        {
            await missing.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        }

        (await client.GetFromJsonAsync<JsonElement>("/api/v1/generation/settings")).GetProperty("model").GetString().Should().Be("llama3.1");
    }

    [Theory]
    [InlineData("""{"provider":"gpt-9"}""", "Provider")]
    [InlineData("""{"provider":"anthropic"}""", "Model")]
    [InlineData("""{"provider":"openai-compatible","model":"m","baseUrl":"ftp://example.com"}""", "BaseUrl")]
    [InlineData("""{"provider":"openai-compatible","model":"m","temperature":3}""", "Temperature")]
    [InlineData("""{"provider":"openai-compatible","model":"m","maxTokens":0}""", "MaxTokens")]
    public async Task Bad_settings_are_400_with_field_errors(string body, string field)
    {
        using var client = factory.ClientFor(Guid.NewGuid());
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/generation/settings") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        using var response = await client.SendAsync(request);

        await response.ShouldBeValidationProblemAsync(field);
    }

    [Fact]
    public async Task One_users_settings_are_invisible_to_another_and_anonymous_callers_get_401()
    {
        using var owner = factory.ClientFor(Guid.NewGuid());
        (await PutAsync(owner, new { provider = "anthropic", model = "claude-x", apiKey = "sk-secret" }, "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var other = factory.ClientFor(Guid.NewGuid());
        var theirs = await other.GetFromJsonAsync<JsonElement>("/api/v1/generation/settings");
        theirs.GetProperty("provider").GetString().Should().Be("offline");
        theirs.GetProperty("hasApiKey").GetBoolean().Should().BeFalse();

        using var anonymous = factory.ClientFor(null);
        (await anonymous.GetAsync(new Uri("/api/v1/generation/settings", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}
