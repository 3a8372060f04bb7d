using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Folio.EndToEnd.Tests;

/// <summary>A writer (or integrator) talking to Folio only through the gateway.</summary>
public sealed class GatewayClient(Uri gateway, string? token = null) : IDisposable
{
    private readonly HttpClient http = new() { BaseAddress = gateway };

    public string? Token { get; } = token;

    public static async Task<GatewayClient> RegisterAsync(Uri gateway)
    {
        using var anonymous = new GatewayClient(gateway);
        var email = $"writer-{Guid.NewGuid():N}@example.com";
        using var response = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/auth/register", new { email, password = "a-long-passphrase-1", displayName = "Writer" });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());

        using var login = await anonymous.SendAsync(HttpMethod.Post, "/api/v1/auth/login", new { email, password = "a-long-passphrase-1" });
        login.StatusCode.Should().Be(HttpStatusCode.OK);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        return new GatewayClient(gateway, token);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(HttpMethod.Get, path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> PostJsonAsync(string path, object body, HttpStatusCode expected)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls until the path answers 200: for effects that travel through RabbitMQ.</summary>
    public async Task<JsonElement> EventuallyGetJsonAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Get, path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"{path} should answer 200 by now (last: {(int)response.StatusCode})");
            await Task.Delay(200);
        }
    }

    public void Dispose() => http.Dispose();
}
