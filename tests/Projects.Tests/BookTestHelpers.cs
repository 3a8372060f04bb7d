using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Folio.Projects.Tests;

/// <summary>Small steps the chapter, bible, timeline, settings and stats tests share.</summary>
internal static class BookTestHelpers
{
    public static async Task<Guid> CreateProjectAsync(this HttpClient client, string title = "A book")
    {
        using var response = await client.PostAsJsonAsync("/api/v1/projects", new { title });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> SendWithIfMatchAsync(this HttpClient client, HttpMethod method, string path, object? body, string? etag)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return await client.SendAsync(request);
    }

    public static async Task<IReadOnlyList<(string ResourceId, string Action, string Field, string? OldValue, string? NewValue)>> AuditRowsAsync(
        this ProjectsApiFactory api, Guid projectId, string resourceType)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        var rows = await connection.QueryAsync<(string, string, string, string?, string?)>(
            """
            SELECT resource_id, action, field, old_value::text, new_value::text FROM audit_log
            WHERE project_id = @projectId AND resource_type = @resourceType ORDER BY id
            """,
            new { projectId, resourceType });
        return rows.ToList();
    }
}
