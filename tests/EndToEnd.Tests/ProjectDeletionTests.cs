using System.Diagnostics;
using System.Net;

namespace Folio.EndToEnd.Tests;

[Collection(RunningFolioDefinition.Name)]
public sealed class ProjectDeletionTests(RunningFolio stack)
{
    private static readonly TimeSpan EventTravel = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Deleting_a_book_through_the_gateway_removes_it_from_every_service()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var projectId = (await writer.PostJsonAsync("/api/v1/projects", new { title = "Doomed" }, HttpStatusCode.Created)).GetProperty("id").GetString();
        await writer.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/branches", EventTravel);
        var chapterId = (await writer.PostJsonAsync($"/api/v1/projects/{projectId}/chapters", new { title = "Only chapter" }, HttpStatusCode.Created)).GetProperty("id").GetString();
        using (var save = await writer.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/chapters/{chapterId}/content",
                   new { text = "It ended before it began.", mode = "version", expectedHead = (string?)null }))
        {
            save.StatusCode.Should().Be(HttpStatusCode.Created, await save.Content.ReadAsStringAsync());
        }

        await writer.PostJsonAsync($"/api/v1/projects/{projectId}/versions", new { bump = "major" }, HttpStatusCode.Created);
        await writer.PostJsonAsync($"/api/v1/projects/{projectId}/versions/v1.0/status", new { status = "completed" }, HttpStatusCode.OK);
        await writer.PostJsonAsync($"/api/v1/projects/{projectId}/versions/v1.0/status", new { status = "published" }, HttpStatusCode.OK);
        (await writer.GetJsonAsync($"/api/v1/exports/projects/{projectId}/refs")).GetProperty("refs").GetArrayLength().Should().BeGreaterThan(0);
        await writer.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/agent-runs", EventTravel);

        using (var delete = await writer.SendAsync(HttpMethod.Delete, $"/api/v1/projects/{projectId}"))
        {
            delete.StatusCode.Should().Be(HttpStatusCode.NoContent, await delete.Content.ReadAsStringAsync());
        }

        string[] gone =
        [
            $"/api/v1/projects/{projectId}",
            $"/api/v1/projects/{projectId}/chapters",
            $"/api/v1/projects/{projectId}/repository",
            $"/api/v1/projects/{projectId}/chapters/{chapterId}/content",
            $"/api/v1/exports/projects/{projectId}/refs",
            $"/api/v1/projects/{projectId}/agent-runs",
        ];
        var stopwatch = Stopwatch.StartNew();
        foreach (var path in gone)
        {
            while (true)
            {
                using var response = await writer.SendAsync(HttpMethod.Get, path);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    break;
                }

                stopwatch.Elapsed.Should().BeLessThan(EventTravel, $"{path} should be gone after the book was deleted, still {(int)response.StatusCode}");
                await Task.Delay(200);
            }
        }

        (await writer.GetJsonAsync("/api/v1/projects")).GetProperty("items").GetArrayLength().Should().Be(0);
    }
}
