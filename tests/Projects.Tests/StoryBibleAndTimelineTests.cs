using System.Net;
using System.Text.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class StoryBibleAndTimelineTests(ProjectsApiFactory api)
{
    private static object Bible(string synopsis) => new
    {
        braindump = "A salt merchant's daughter, a road, a secret.",
        genre = "Historical",
        style = "Close third person, past tense, spare.",
        synopsis,
        worldbuilding = "The salt road runs from the marsh to the hill towns.",
        outline = new[] { new { chapter = 2, beats = new[] { "The letter", "The lie" } }, new { chapter = 1, beats = new[] { "Arrival at the marsh" } } },
    };

    [Fact]
    public async Task The_story_bible_starts_empty_changes_with_if_match_and_its_history_is_the_audit_log()
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        var path = $"/api/v1/projects/{projectId}/story-bible";

        (await writer.GetAsync(path)).GetProperty("outline").GetArrayLength().Should().Be(0);
        using (var first = await writer.SendAsync(HttpMethod.Put, path, Bible("Anna carries salt."), "\"1\""))
        {
            var saved = await first.ShouldBeJsonAsync(HttpStatusCode.OK);
            saved.GetProperty("outline")[0].GetProperty("chapter").GetInt32().Should().Be(1, "the outline is kept in chapter order");
            first.Headers.ETag!.Tag.Should().Be("\"2\"");
        }

        using (var stale = await writer.SendAsync(HttpMethod.Put, path, Bible("Lost"), "\"1\""))
        {
            await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var missing = await writer.SendAsync(HttpMethod.Put, path, Bible("Blind")))
        {
            await missing.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        }

        (await writer.SendAsync(HttpMethod.Put, path, Bible("Anna carries salt, and a secret."), "\"2\"")).StatusCode.Should().Be(HttpStatusCode.OK);

        var history = await writer.GetAsync($"/api/v1/projects/{projectId}/audit?resourceType=story_bible&field=synopsis");
        history.GetProperty("items").EnumerateArray().Select(entry => entry.GetProperty("newValue").GetString())
            .Should().Equal("Anna carries salt, and a secret.", "Anna carries salt.");
        (await api.OutboxRowsForAsync(projectId)).Count(row => row.MessageType.Contains("StoryBibleUpdated", StringComparison.Ordinal)).Should().Be(2);
    }

    [Fact]
    public async Task A_bad_outline_is_400_with_field_errors()
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        using var response = await writer.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/story-bible",
            new { outline = new[] { new { chapter = 0, beats = new[] { "x" } } } }, "\"1\"");
        await response.ShouldBeValidationProblemAsync("Outline[0].Chapter");
    }

    [Fact]
    public async Task Timeline_events_keep_their_order_through_inserts_updates_deletes_and_reorders()
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        var path = $"/api/v1/projects/{projectId}/timeline";
        var spring = (await writer.PostAsync(path, new { description = "Anna arrives", chapterNumber = 1, storyTime = "Spring 1813", sortKey = "1813-04" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var winter = (await writer.PostAsync(path, new { description = "The flood", chapterNumber = 9, storyTime = "Winter 1813", sortKey = "1813-12" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var summer = (await writer.PostAsync(path, new { sequence = 2, description = "The letter", storyTime = "Midsummer", sortKey = "1813-06" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();

        List<Guid> Ids(JsonElement list) => list.EnumerateArray().Select(item => item.GetProperty("id").GetGuid()).ToList();
        Ids(await writer.GetAsync(path)).Should().Equal(spring, summer, winter);

        using (var update = await writer.SendAsync(HttpMethod.Put, $"{path}/{summer}", new { description = "The letter arrives", storyTime = "Midsummer 1813", sortKey = "1813-06" }, "\"1\""))
        {
            (await update.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("description").GetString().Should().Be("The letter arrives");
        }

        Ids(await writer.PostAsync($"{path}/reorder", new { eventIds = new[] { winter, spring, summer } }, HttpStatusCode.OK)).Should().Equal(winter, spring, summer);
        (await writer.SendAsync(HttpMethod.Delete, $"{path}/{winter}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var final = await writer.GetAsync(path);
        Ids(final).Should().Equal(spring, summer);
        final.EnumerateArray().Select(item => item.GetProperty("sequence").GetInt32()).Should().Equal(1, 2);
    }

    [Fact]
    public async Task Bad_timeline_events_are_400_and_another_users_timeline_and_bible_are_404()
    {
        using var owner = ProjectsClient.For(api);
        var projectId = await owner.CreateProjectAsync();
        var id = (await owner.PostAsync($"/api/v1/projects/{projectId}/timeline", new { description = "Mine" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using (var bad = await owner.SendAsync(HttpMethod.Post, $"/api/v1/projects/{projectId}/timeline", new { description = "", chapterNumber = 0 }))
        {
            await bad.ShouldBeValidationProblemAsync("Description");
        }

        using var stranger = ProjectsClient.For(api);
        await stranger.GetAsync($"/api/v1/projects/{projectId}/timeline", HttpStatusCode.NotFound);
        await stranger.PostAsync($"/api/v1/projects/{projectId}/timeline", new { description = "Theirs" }, HttpStatusCode.NotFound);
        (await stranger.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/timeline/{id}", new { description = "X" }, "\"1\"")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.SendAsync(HttpMethod.Delete, $"/api/v1/projects/{projectId}/timeline/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await stranger.GetAsync($"/api/v1/projects/{projectId}/story-bible", HttpStatusCode.NotFound);
        (await stranger.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/story-bible", Bible("x"), "\"1\"")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.GetAsync($"/api/v1/projects/{projectId}/timeline")).GetArrayLength().Should().Be(1);
    }
}
