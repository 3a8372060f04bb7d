using System.Net;
using System.Text.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class ChaptersTests(ProjectsApiFactory api)
{
    private static async Task<List<Guid>> AddChaptersAsync(ProjectsClient writer, Guid projectId, int count)
    {
        var ids = new List<Guid>();
        for (var i = 1; i <= count; i++)
        {
            ids.Add((await writer.PostAsync($"/api/v1/projects/{projectId}/chapters", new { title = $"Chapter {i}", targetLength = 3000 }, HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }

        return ids;
    }

    private static async Task<List<(Guid Id, int Number)>> OrderAsync(ProjectsClient writer, Guid projectId) =>
        (await writer.GetAsync($"/api/v1/projects/{projectId}/chapters")).EnumerateArray()
            .Select(chapter => (chapter.GetProperty("id").GetGuid(), chapter.GetProperty("number").GetInt32())).ToList();

    [Fact]
    public async Task Chapters_are_numbered_in_order_and_inserting_or_deleting_renumbers_the_rest()
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        var ids = await AddChaptersAsync(writer, projectId, 3);
        var supplied = Guid.NewGuid();

        var inserted = await writer.PostAsync($"/api/v1/projects/{projectId}/chapters",
            new { id = supplied, number = 2, title = "Interlude", brief = new { beats = new[] { "Anna finds the letter", "She hides it" }, pointOfView = "Anna", goal = "Plant the secret" } },
            HttpStatusCode.Created);

        inserted.GetProperty("id").GetGuid().Should().Be(supplied, "the client may choose the id Versioning will use");
        inserted.GetProperty("brief").GetProperty("beats").GetArrayLength().Should().Be(2);
        (await OrderAsync(writer, projectId)).Should().Equal((ids[0], 1), (supplied, 2), (ids[1], 3), (ids[2], 4));

        (await writer.SendAsync(HttpMethod.Delete, $"/api/v1/projects/{projectId}/chapters/{ids[0]}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await OrderAsync(writer, projectId)).Should().Equal((supplied, 1), (ids[1], 2), (ids[2], 3));

        var rows = await api.OutboxRowsForAsync(projectId);
        rows.Select(row => row.MessageType.Split(',')[0].Split('.')[^1]).Should().Contain(["ChapterAdded", "ChapterDeleted", "ChaptersReordered"]);
        var added = rows.Select(row => JsonDocument.Parse(row.Body).RootElement).Where(body => body.TryGetProperty("chapterId", out var id) && id.GetGuid() == supplied).First();
        added.GetProperty("brief").GetProperty("beats").EnumerateArray().Select(beat => beat.GetString()).Should().Equal(["Anna finds the letter", "She hides it"],
            "Continuity checks chapters against their brief");
        added.GetProperty("brief").GetProperty("pointOfView").GetString().Should().Be("Anna");
    }

    [Fact]
    public async Task Reordering_names_every_chapter_once_and_ten_concurrent_reorders_leave_a_contiguous_order()
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        var ids = await AddChaptersAsync(writer, projectId, 6);

        var reversed = Enumerable.Reverse(ids).ToList();
        var result = await writer.PostAsync($"/api/v1/projects/{projectId}/chapters/reorder", new { chapterIds = reversed }, HttpStatusCode.OK);
        result.EnumerateArray().Select(chapter => chapter.GetProperty("id").GetGuid()).Should().Equal(reversed);

        await writer.PostAsync($"/api/v1/projects/{projectId}/chapters/reorder", new { chapterIds = ids.Take(5) }, HttpStatusCode.Conflict);
        await writer.PostAsync($"/api/v1/projects/{projectId}/chapters/reorder", new { chapterIds = ids.Append(Guid.NewGuid()) }, HttpStatusCode.Conflict);
        using (var duplicate = await writer.SendAsync(HttpMethod.Post, $"/api/v1/projects/{projectId}/chapters/reorder", new { chapterIds = ids.Append(ids[0]) }))
        {
            await duplicate.ShouldBeValidationProblemAsync("ChapterIds");
        }

        var random = new Random(3);
        var orders = Enumerable.Range(0, 10).Select(_ => ids.OrderBy(_ => random.Next()).ToList()).ToList();
        var responses = await Task.WhenAll(orders.Select(order => writer.SendAsync(HttpMethod.Post, $"/api/v1/projects/{projectId}/chapters/reorder", new { chapterIds = order })));

        responses.Should().OnlyContain(response => response.StatusCode == HttpStatusCode.OK);
        var final = await OrderAsync(writer, projectId);
        final.Select(chapter => chapter.Number).Should().Equal(1, 2, 3, 4, 5, 6);
        orders.Should().ContainEquivalentOf(final.Select(chapter => chapter.Id).ToList(), options => options.WithStrictOrdering(), "the last reorder to commit wins whole");
    }

    [Fact]
    public async Task Status_moves_one_step_forward_or_back_and_updates_need_the_current_etag()
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        var id = (await AddChaptersAsync(writer, projectId, 1))[0];
        var path = $"/api/v1/projects/{projectId}/chapters/{id}";

        using (var skip = await writer.SendAsync(HttpMethod.Put, path, new { title = "One", status = "written" }, "\"1\""))
        {
            await skip.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        }

        using (var step = await writer.SendAsync(HttpMethod.Put, path, new { title = "One", status = "brief_complete", brief = new { beats = new[] { "Arrival" } } }, "\"1\""))
        {
            (await step.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString().Should().Be("brief_complete");
        }

        using (var stale = await writer.SendAsync(HttpMethod.Put, path, new { title = "Stale", status = "written" }, "\"1\""))
        {
            await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var missing = await writer.SendAsync(HttpMethod.Put, path, new { title = "Blind", status = "written" }))
        {
            await missing.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        }

        using (var back = await writer.SendAsync(HttpMethod.Put, path, new { title = "One", status = "not_started" }, "\"2\""))
        {
            back.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var audit = await writer.GetAsync($"/api/v1/projects/{projectId}/audit?resourceType=chapter&resourceId={id}&field=status");
        audit.GetProperty("items").EnumerateArray().Select(entry => entry.GetProperty("newValue").GetString()).Should().Equal("not_started", "brief_complete", "not_started");
    }

    [Fact]
    public async Task Updating_or_deleting_a_chapter_that_is_not_in_the_book_is_404_and_changes_nothing()
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        var otherBook = await writer.CreateProjectAsync();
        var elsewhere = (await AddChaptersAsync(writer, otherBook, 1))[0];

        foreach (var chapterId in new[] { Guid.NewGuid(), elsewhere })
        {
            var path = $"/api/v1/projects/{projectId}/chapters/{chapterId}";
            using (var update = await writer.SendAsync(HttpMethod.Put, path, new { title = "Lost", status = "not_started" }, "\"1\""))
            {
                await update.ShouldBeProblemAsync(HttpStatusCode.NotFound);
            }

            using (var delete = await writer.SendAsync(HttpMethod.Delete, path))
            {
                await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);
            }
        }

        (await writer.GetAsync($"/api/v1/projects/{otherBook}/chapters/{elsewhere}")).GetProperty("title").GetString()
            .Should().NotBe("Lost", "a chapter of another book is not reached through this one");
        (await writer.GetAsync($"/api/v1/projects/{projectId}/audit?resourceType=chapter")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task An_update_that_brings_the_brief_may_mark_the_chapter_written_but_not_verified()
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        var id = (await AddChaptersAsync(writer, projectId, 1))[0];
        var path = $"/api/v1/projects/{projectId}/chapters/{id}";

        using (var noBeats = await writer.SendAsync(HttpMethod.Put, path, new { title = "One", status = "written", brief = new { beats = Array.Empty<string>() } }, "\"1\""))
        {
            await noBeats.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        }

        using (var tooFar = await writer.SendAsync(HttpMethod.Put, path, new { title = "One", status = "verified", brief = new { beats = new[] { "Arrival" } } }, "\"1\""))
        {
            await tooFar.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        }

        using var written = await writer.SendAsync(HttpMethod.Put, path, new { title = "One", status = "written", brief = new { beats = new[] { "Arrival" } } }, "\"1\"");
        var chapter = await written.ShouldBeJsonAsync(HttpStatusCode.OK);
        chapter.GetProperty("status").GetString().Should().Be("written");
        chapter.GetProperty("brief").GetProperty("beats")[0].GetString().Should().Be("Arrival");
    }

    [Theory]
    [InlineData("""{"title":""}""", "Title")]
    [InlineData("""{"title":"x","number":0}""", "Number")]
    [InlineData("""{"title":"x","status":"done"}""", "Status")]
    [InlineData("""{"title":"x","targetLength":5}""", "TargetLength")]
    public async Task Bad_chapters_are_400_with_field_errors(string body, string field)
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/projects/{projectId}/chapters")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await writer.Http.SendAsync(request);
        await response.ShouldBeValidationProblemAsync(field);
    }

    [Fact]
    public async Task A_chapter_number_past_the_end_is_400()
    {
        using var writer = ProjectsClient.For(api);
        var projectId = await writer.CreateProjectAsync();
        using var response = await writer.SendAsync(HttpMethod.Post, $"/api/v1/projects/{projectId}/chapters", new { title = "Far", number = 3 });
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_users_chapters_are_404_and_untouched()
    {
        using var owner = ProjectsClient.For(api);
        var projectId = await owner.CreateProjectAsync();
        var id = (await AddChaptersAsync(owner, projectId, 2))[0];
        using var stranger = ProjectsClient.For(api);

        await stranger.GetAsync($"/api/v1/projects/{projectId}/chapters", HttpStatusCode.NotFound);
        await stranger.GetAsync($"/api/v1/projects/{projectId}/chapters/{id}", HttpStatusCode.NotFound);
        await stranger.PostAsync($"/api/v1/projects/{projectId}/chapters", new { title = "Intruder" }, HttpStatusCode.NotFound);
        await stranger.PostAsync($"/api/v1/projects/{projectId}/chapters/reorder", new { chapterIds = new[] { id } }, HttpStatusCode.NotFound);
        (await stranger.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/chapters/{id}", new { title = "X", status = "not_started" }, "\"1\"")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.SendAsync(HttpMethod.Delete, $"/api/v1/projects/{projectId}/chapters/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await OrderAsync(owner, projectId)).Should().HaveCount(2);
    }
}
