using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Folio.Tests.Infrastructure;
using Npgsql;

namespace Folio.Projects.Tests;

/// <summary>One writer's calls to the series and bible endpoints, with the JSON they return.</summary>
internal sealed class BibleApi(ProjectsApiFactory api, Guid userId) : IDisposable
{
    public HttpClient Client { get; } = api.ClientFor(userId);

    public async Task<Guid> CreateProjectAsync(string title, int? targetWordCount = null)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/projects", new { title, targetWordCount });
        return (await response.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public async Task<Guid> CreateSeriesAsync(string title)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/series", new { title });
        return (await response.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> AddBookAsync(Guid seriesId, Guid projectId, int? sequence = null)
    {
        using var response = await Client.PostAsJsonAsync($"/api/v1/series/{seriesId}/books", new { projectId, sequence });
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    public async Task<JsonElement> CreateAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        return await response.ShouldBeJsonAsync(HttpStatusCode.Created);
    }

    public Task<HttpResponseMessage> PutAsync(string path, object body, int? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is { } version)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        }

        return Client.SendAsync(request);
    }

    public void Dispose() => Client.Dispose();
}

internal static class BibleDatabase
{
    public static async Task<IReadOnlyList<(string MessageType, JsonElement Body)>> OutboxAsync(this ProjectsApiFactory api, Guid projectId, string typeSuffix) =>
        (await api.OutboxRowsForAsync(projectId))
            .Where(row => row.MessageType.Split(',')[0].EndsWith(typeSuffix, StringComparison.Ordinal))
            .Select(row => (row.MessageType, JsonDocument.Parse(row.Body).RootElement.Clone()))
            .ToList();

    public static async Task<IReadOnlyList<(string Action, string Field, string? NewValue)>> AuditRowsAsync(this ProjectsApiFactory api, string resourceId)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        var rows = await connection.QueryAsync<(string, string, string?)>(
            "SELECT action, field, new_value::text FROM audit_log WHERE resource_id = @resourceId ORDER BY id", new { resourceId });
        return rows.ToList();
    }
}
