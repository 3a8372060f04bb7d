using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

/// <summary>One writer's calls to the Projects API, with the checks every test repeats.</summary>
public sealed class ProjectsClient(HttpClient client) : IDisposable
{
    public HttpClient Http { get; } = client;

    public static ProjectsClient For(ProjectsApiFactory api, Guid? userId = null) => new(api.ClientFor(userId ?? Guid.NewGuid()));

    public async Task<Guid> CreateProjectAsync(string title = "A Book")
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/projects", new { title });
        return (await response.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        return await response.ShouldBeJsonAsync(expected);
    }

    public async Task<JsonElement> PostAsync(string path, object body, HttpStatusCode expected)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        return await response.ShouldBeJsonAsync(expected);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return Http.SendAsync(request);
    }

    public void Dispose() => Http.Dispose();
}
