using System.Net;
using System.Text.Json;

namespace Folio.EndToEnd.Tests;

/// <summary>The chapter-generation saga end to end: real processes, real RabbitMQ and PostgreSQL, the offline provider.</summary>
[Collection(RunningFolioDefinition.Name)]
public sealed class GenerationSagaTests(RunningFolio stack)
{
    private static readonly TimeSpan EventTravel = TimeSpan.FromSeconds(30);
    private static readonly string[] Ended = ["Completed", "Failed", "Cancelled"];

    [Fact]
    public async Task A_thirty_chapter_job_commits_exactly_thirty_chapters_in_order_attributed_to_the_writer_agent()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterIds) = await CreateBookAsync(writer, 30);

        var job = await writer.PostJsonAsync("/api/v1/generation/jobs",
            new { projectId, fromChapter = 1, toChapter = 30, continuity = new { policy = "off" }, seed = 7 }, HttpStatusCode.Accepted);
        var done = await WaitForEndAsync(writer, job.GetProperty("id").GetString()!, TimeSpan.FromMinutes(4));

        done.GetProperty("state").GetString().Should().Be("Completed", done.ToString());
        done.GetProperty("progress").GetInt32().Should().Be(100);
        var commits = await JobCommitsAsync(writer, projectId, done.GetProperty("id").GetString()!);
        commits.Select(commit => commit.GetProperty("message").GetString()!.Split(':')[0])
            .Should().Equal(Enumerable.Range(1, 30).Select(number => $"Chapter {number}"));
        commits.Should().OnlyContain(commit => commit.GetProperty("author").GetProperty("kind").GetString() == "agent"
            && commit.GetProperty("author").GetProperty("agent").GetProperty("name").GetString() == "writer"
            && commit.GetProperty("author").GetProperty("agent").GetProperty("model").GetString()!.StartsWith("offline/", StringComparison.Ordinal));
        for (var index = 0; index < 30; index++)
        {
            var content = await writer.GetJsonAsync($"/api/v1/projects/{projectId}/chapters/{chapterIds[index]}/content");
            content.GetProperty("text").GetString().Should().StartWith($"# ");
        }

        var chapters = await writer.GetJsonAsync($"/api/v1/projects/{projectId}/chapters");
        chapters.EnumerateArray().Should().OnlyContain(chapter => chapter.GetProperty("status").GetString() == "written");
        chapters[0].GetProperty("brief").GetProperty("beats").GetArrayLength().Should().BeGreaterThan(0, "the architect's brief is recorded on the chapter");
        var runs = await writer.GetJsonAsync($"/api/v1/projects/{projectId}/agent-runs?jobId={done.GetProperty("id").GetString()}&limit=1000");
        runs.GetProperty("items").EnumerateArray().Select(run => run.GetProperty("agent").GetString()).Distinct()
            .Should().BeEquivalentTo(["architect", "writer", "summarizer"]);
        done.GetProperty("agentRuns").GetProperty("runs").GetInt32().Should().Be(runs.GetProperty("items").GetArrayLength(), "the job totals its agent runs");
        done.GetProperty("chapters").EnumerateArray().Should().OnlyContain(chapter => chapter.GetProperty("agentRuns").GetProperty("runs").GetInt32() >= 2,
            "every chapter had at least its brief and its text written by an agent");
        done.GetProperty("agentRunsUrl").GetString().Should().Be($"/api/v1/projects/{projectId}/agent-runs?jobId={done.GetProperty("id").GetString()}");
    }

    [Fact]
    public async Task Kill_minus_nine_of_generation_and_then_of_versioning_mid_job_neither_duplicates_nor_skips_a_chapter()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, _) = await CreateBookAsync(writer, 12);
        var job = await writer.PostJsonAsync("/api/v1/generation/jobs",
            new { projectId, fromChapter = 1, toChapter = 12, continuity = new { policy = "off" }, seed = 11 }, HttpStatusCode.Accepted);
        var jobId = job.GetProperty("id").GetString()!;

        await WaitForChaptersDoneAsync(writer, jobId, 3);
        await stack.KillAndRestartAsync("generation", TimeSpan.FromSeconds(1));
        await WaitForChaptersDoneAsync(writer, jobId, 7);
        await stack.KillAndRestartAsync("versioning", TimeSpan.FromSeconds(3));
        var done = await WaitForEndAsync(writer, jobId, TimeSpan.FromMinutes(4));

        done.GetProperty("state").GetString().Should().Be("Completed", done.ToString());
        var commits = await JobCommitsAsync(writer, projectId, jobId);
        commits.Select(commit => commit.GetProperty("message").GetString()!.Split(':')[0])
            .Should().Equal(Enumerable.Range(1, 12).Select(number => $"Chapter {number}"), "every chapter is committed once, in order");
    }

    [Fact]
    public async Task Cancelling_mid_job_with_job_rollback_leaves_the_branch_exactly_as_before_the_job()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterIds) = await CreateBookAsync(writer, 10);
        const string HumanText = "# One\n\nThe first chapter, written by hand, stays as it is.";
        using (var save = await writer.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/chapters/{chapterIds[0]}/content",
                   new { text = HumanText, mode = "version", expectedHead = (string?)null }))
        {
            save.StatusCode.Should().Be(HttpStatusCode.Created, await save.Content.ReadAsStringAsync());
        }

        var before = (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/branches")).EnumerateArray().Single().GetProperty("headCommitId").GetString();
        var job = await writer.PostJsonAsync("/api/v1/generation/jobs",
            new { projectId, fromChapter = 2, toChapter = 10, continuity = new { policy = "off" }, rollbackPolicy = "job" }, HttpStatusCode.Accepted);
        var jobId = job.GetProperty("id").GetString()!;
        await WaitForChaptersDoneAsync(writer, jobId, 2);
        await writer.PostJsonAsync($"/api/v1/generation/jobs/{jobId}/cancel", new { }, HttpStatusCode.Accepted);
        var done = await WaitForEndAsync(writer, jobId, TimeSpan.FromMinutes(2));

        done.GetProperty("state").GetString().Should().Be("Cancelled", done.ToString());
        done.GetProperty("rollbackCommitId").GetString().Should().NotBeNullOrEmpty(done.ToString());
        (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/chapters/{chapterIds[0]}/content")).GetProperty("text").GetString().Should().Be(HumanText);
        foreach (var chapterId in chapterIds.Skip(1))
        {
            using var gone = await writer.SendAsync(HttpMethod.Get, $"/api/v1/projects/{projectId}/chapters/{chapterId}/content");
            gone.StatusCode.Should().Be(HttpStatusCode.NotFound, "the job's chapters are rolled back");
        }

        var diff = await writer.GetJsonAsync($"/api/v1/projects/{projectId}/diff?from={before}&to=main");
        diff.ToString().Should().NotContain("\"modified\"").And.NotContain("\"added\"");
    }

    [Fact]
    public async Task A_second_job_on_a_taken_branch_is_refused_or_queued_as_asked_and_bad_requests_are_400_and_other_users_404()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, _) = await CreateBookAsync(writer, 6);
        var first = await writer.PostJsonAsync("/api/v1/generation/jobs", new { projectId, fromChapter = 1, toChapter = 6, continuity = new { policy = "check" } }, HttpStatusCode.Accepted);
        using (var refused = await writer.SendAsync(HttpMethod.Post, "/api/v1/generation/jobs", new { projectId, chapter = 6, onLocked = "refuse" }))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Conflict, await refused.Content.ReadAsStringAsync());
        }

        var queued = await writer.PostJsonAsync("/api/v1/generation/jobs", new { projectId, chapter = 6, mode = "brief", idempotencyKey = "again" }, HttpStatusCode.Accepted);
        (await writer.PostJsonAsync("/api/v1/generation/jobs", new { projectId, chapter = 6, mode = "brief", idempotencyKey = "again" }, HttpStatusCode.OK))
            .GetProperty("id").GetString().Should().Be(queued.GetProperty("id").GetString(), "the same idempotency key is the same job");

        var firstDone = await WaitForEndAsync(writer, first.GetProperty("id").GetString()!, TimeSpan.FromMinutes(3));
        var secondDone = await WaitForEndAsync(writer, queued.GetProperty("id").GetString()!, TimeSpan.FromMinutes(2));
        firstDone.GetProperty("state").GetString().Should().Be("Completed", firstDone.ToString());
        firstDone.GetProperty("chapters").EnumerateArray().Select(chapter => chapter.GetProperty("continuity").GetString())
            .Should().OnlyContain(verdict => verdict == "pass" || verdict == "warning", "Continuity checked every chapter and found no errors");
        secondDone.GetProperty("state").GetString().Should().Be("Completed", secondDone.ToString());
        secondDone.GetProperty("startedAt").GetDateTimeOffset().Should().BeOnOrAfter(firstDone.GetProperty("finishedAt").GetDateTimeOffset(), "chapters of one book never run at once");

        foreach (var bad in new object[]
                 {
                     new { projectId, fromChapter = 3, toChapter = 2 },
                     new { projectId },
                     new { projectId, chapter = 1, continuity = new { policy = "sometimes" } },
                     new { projectId, chapter = 1, rollbackPolicy = "none" },
                     new { projectId, fromChapter = 1, toChapter = 2, mode = "brief" },
                 })
        {
            using var response = await writer.SendAsync(HttpMethod.Post, "/api/v1/generation/jobs", bad);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, JsonSerializer.Serialize(bad));
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }

        using (var missing = await writer.SendAsync(HttpMethod.Post, "/api/v1/generation/jobs", new { projectId, fromChapter = 5, toChapter = 9 }))
        {
            missing.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "chapters 7..9 do not exist");
        }

        using var stranger = await GatewayClient.RegisterAsync(stack.Gateway);
        using (var theirs = await stranger.SendAsync(HttpMethod.Post, "/api/v1/generation/jobs", new { projectId, chapter = 1 }))
        {
            theirs.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        foreach (var (method, path) in new[]
                 {
                     (HttpMethod.Get, $"/api/v1/generation/jobs/{first.GetProperty("id").GetString()}"),
                     (HttpMethod.Post, $"/api/v1/generation/jobs/{first.GetProperty("id").GetString()}/cancel"),
                     (HttpMethod.Delete, $"/api/v1/generation/jobs/{first.GetProperty("id").GetString()}"),
                 })
        {
            using var response = await stranger.SendAsync(method, path, method == HttpMethod.Post ? new { } : null);
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, path);
        }

        (await stranger.GetJsonAsync("/api/v1/generation/jobs")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    private static async Task<(string ProjectId, string[] ChapterIds)> CreateBookAsync(GatewayClient writer, int chapters)
    {
        var projectId = (await writer.PostJsonAsync("/api/v1/projects", new { title = "The Lighthouse Keeper", genre = "mystery" }, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await writer.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/branches", EventTravel);
        await writer.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/agent-runs", EventTravel);
        await writer.PostJsonAsync($"/api/v1/projects/{projectId}/characters",
            new { name = "Mara Quinn", role = "protagonist", facts = new[] { new { key = "eye_colour", value = "grey" } } }, HttpStatusCode.Created);
        var ids = new string[chapters];
        for (var number = 1; number <= chapters; number++)
        {
            ids[number - 1] = (await writer.PostJsonAsync($"/api/v1/projects/{projectId}/chapters",
                new { title = $"Night {number}", targetLength = 300 }, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }

        return (projectId, ids);
    }

    private static async Task<JsonElement> WaitForEndAsync(GatewayClient writer, string jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await writer.GetJsonAsync($"/api/v1/generation/jobs/{jobId}");
            if (Ended.Contains(job.GetProperty("state").GetString()))
            {
                return job;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"job {jobId} should end in time; it is at {job}");
            await Task.Delay(250);
        }
    }

    private static async Task WaitForChaptersDoneAsync(GatewayClient writer, string jobId, int done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var job = await writer.GetJsonAsync($"/api/v1/generation/jobs/{jobId}");
            if (job.GetProperty("chapters").EnumerateArray().Count(chapter => chapter.GetProperty("status").GetString() == "done") >= done)
            {
                return;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"job {jobId} should reach {done} chapters; it is at {job}");
            await Task.Delay(100);
        }
    }

    /// <summary>The job's commits on main, oldest first.</summary>
    private static async Task<List<JsonElement>> JobCommitsAsync(GatewayClient writer, string projectId, string jobId) =>
        (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/log?ref=main&limit=500")).EnumerateArray()
            .Where(commit => commit.GetProperty("correlationId").GetString() == jobId && commit.GetProperty("kind").GetString() != "rollback")
            .Reverse().ToList();
}
