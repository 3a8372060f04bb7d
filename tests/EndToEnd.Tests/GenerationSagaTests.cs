using System.Net;
using System.Text.Json;
using Npgsql;

namespace Folio.EndToEnd.Tests;

/// <summary>
/// The chapter-generation saga end to end: real processes, real RabbitMQ and PostgreSQL; the offline provider, or an
/// OpenAI-compatible model server in the test process (<see cref="StoryModel"/>) where a test needs a model to fail or err.
/// </summary>
[Collection(RunningFolioDefinition.Name)]
public sealed class GenerationSagaTests(RunningFolio stack)
{
    private static readonly TimeSpan EventTravel = TimeSpan.FromSeconds(30);
    private static readonly string[] Ended = ["Completed", "Failed", "Cancelled"];

    /// <summary>A chapter then takes three answers of this long, so a test can kill, cancel or edit while the job runs.</summary>
    private static readonly TimeSpan ModelPace = TimeSpan.FromMilliseconds(120);

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
        commits.Select(ChapterOf)
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
        await using var model = await StoryModel.StartAsync();
        model.Pace = ModelPace;
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        await model.UseForAsync(writer);
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
        commits.Select(ChapterOf)
            .Should().Equal(Enumerable.Range(1, 12).Select(number => $"Chapter {number}"), "every chapter is committed once, in order");
    }

    [Fact]
    public async Task Cancelling_mid_job_with_job_rollback_leaves_the_branch_exactly_as_before_the_job()
    {
        await using var model = await StoryModel.StartAsync();
        model.Pace = ModelPace;
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        await model.UseForAsync(writer);
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
    public async Task A_cancel_that_lands_while_a_commit_and_its_finish_share_a_checkpoint_still_rolls_that_chapter_back()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterIds) = await CreateBookAsync(writer, 3);
        // Holding chapter 2's row in Projects stops its finish after its commit, before the checkpoint the two share.
        await using var projects = new NpgsqlConnection(stack.DatabaseOf("projects"));
        await projects.OpenAsync();
        await using var hold = await projects.BeginTransactionAsync();
        await using (var holdRow = new NpgsqlCommand("SELECT 1 FROM chapters WHERE id = @id FOR NO KEY UPDATE", projects, hold))
        {
            holdRow.Parameters.AddWithValue("id", Guid.Parse(chapterIds[1]));
            (await holdRow.ExecuteScalarAsync()).Should().Be(1);
        }

        var job = await writer.PostJsonAsync("/api/v1/generation/jobs",
            new { projectId, fromChapter = 1, toChapter = 3, continuity = new { policy = "off" }, rollbackPolicy = "chapter" }, HttpStatusCode.Accepted);
        var jobId = job.GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await HasCommitAsync(writer, projectId, "Chapter 2"))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "chapter 2 should be committed while its finish waits");
            await Task.Delay(100);
        }

        StatusesOf(await writer.GetJsonAsync($"/api/v1/generation/jobs/{jobId}")).Should().Equal(["done", "commit", "pending"],
            "chapter 2's commit is made but not yet settled: it waits for the finish's checkpoint");
        await writer.PostJsonAsync($"/api/v1/generation/jobs/{jobId}/cancel", new { }, HttpStatusCode.Accepted);
        // The cancel reaches the job through the broker; the finish may go on only once the job holds it.
        await using (var generation = new NpgsqlConnection(stack.DatabaseOf("generation")))
        {
            await generation.OpenAsync();
            await using var cancelled = new NpgsqlCommand("SELECT (data->>'cancelRequested')::boolean FROM generation_jobs WHERE id = @id", generation);
            cancelled.Parameters.AddWithValue("id", Guid.Parse(jobId));
            while (await cancelled.ExecuteScalarAsync() is not true)
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "the job should take the cancel");
                await Task.Delay(50);
            }
        }

        await hold.RollbackAsync();
        var done = await WaitForEndAsync(writer, jobId, TimeSpan.FromMinutes(2));

        done.GetProperty("state").GetString().Should().Be("Cancelled", done.ToString());
        StatusesOf(done).Should().Equal(["done", "rolled_back", "pending"], done.ToString());
        done.GetProperty("rollbackCommitId").GetString().Should().NotBeNullOrEmpty(done.ToString());
        (await TextAsync(writer, projectId, chapterIds[0])).Should().NotBeNull("chapter 1 was finished, and the chapter policy keeps it");
        (await TextAsync(writer, projectId, chapterIds[1])).Should().BeNull("the cancel takes back the commit of the chapter in progress");
        (await TextAsync(writer, projectId, chapterIds[2])).Should().BeNull();
        (await JobCommitsAsync(writer, projectId, jobId)).Select(ChapterOf).Should().Equal(["Chapter 1", "Chapter 2"], "no chapter is committed twice");
        (await PlannedStatusesAsync(writer, projectId)).Should().Equal(["written", "not_started", "not_started"],
            "the rolled-back chapter's status goes back to what it was before the job");
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

    [Fact]
    public async Task A_provider_failing_for_good_at_chapter_k_with_job_rollback_leaves_every_chapter_as_it_was_before_the_job()
    {
        await using var model = await StoryModel.StartAsync();
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterIds) = await CreateBookAsync(writer, 4);
        await SaveByHandAsync(writer, projectId, chapterIds[0], "# Night 1\n\nThe first night, written by hand, stays as it is.");
        await SaveByHandAsync(writer, projectId, chapterIds[2], "# Night 3\n\nThe third night, written by hand as well.");
        var before = await ChapterTextsAsync(writer, projectId, chapterIds);
        await model.UseForAsync(writer);
        model.FailForGoodFrom = ask => ask.Agent == "writer" && ask.Chapter == 3;

        var done = await RunJobAsync(writer, new { projectId, fromChapter = 1, toChapter = 4, continuity = new { policy = "off" }, rollbackPolicy = "job" });
        var jobId = done.GetProperty("id").GetString()!;

        ShouldHaveFailedAndRolledBack(done, "openai-compatible provider failed (Unavailable)");
        StatusesOf(done).Should().Equal(["rolled_back", "rolled_back", "failed", "pending"], "chapters 1 and 2 were committed and undone, the job stopped at 3");
        (await JobCommitsAsync(writer, projectId, jobId)).Select(ChapterOf)
            .Should().Equal(["Chapter 1", "Chapter 2"], "the job did commit before it failed, so the rollback had work to undo");
        (await ChapterTextsAsync(writer, projectId, chapterIds)).Should().Equal(before, "job rollback restores the branch's content to the pre-job head");
        (await PlannedStatusesAsync(writer, projectId)).Should().Equal(["not_started", "not_started", "not_started", "not_started"],
            "the chapters the job wrote and undid are back at their status from before the job in Projects");
        model.Asks.Should().NotContain(ask => ask.Chapter == 4, "nothing runs after the chapter that failed");
        model.Asks.Count(ask => ask.Agent == "writer" && ask.Chapter == 3).Should().Be(2, "a 5xx is retried once (Llm:MaxRetries), then the step fails for good");
        var failedRun = (await WriterRunsAsync(writer, projectId, jobId, 3)).Should().ContainSingle().Which;
        failedRun.GetProperty("status").GetString().Should().Be("failed");
        failedRun.GetProperty("error").GetString().Should().Contain("500");
    }

    [Fact]
    public async Task A_provider_failing_for_good_at_chapter_k_with_chapter_rollback_keeps_the_chapters_before_k_and_restores_k()
    {
        await using var model = await StoryModel.StartAsync();
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterIds) = await CreateBookAsync(writer, 4);
        const string HumanThird = "# Night 3\n\nThe third night, written by hand before the job.";
        await SaveByHandAsync(writer, projectId, chapterIds[2], HumanThird);
        await model.UseForAsync(writer);
        // Chapter 3 is written and committed; the provider dies while it is summarised, so the rollback has a commit to undo.
        model.FailForGoodFrom = ask => ask.Agent == "summarizer" && ask.Chapter == 3;

        var done = await RunJobAsync(writer, new { projectId, fromChapter = 1, toChapter = 4, continuity = new { policy = "off" }, rollbackPolicy = "chapter" });
        var jobId = done.GetProperty("id").GetString()!;

        ShouldHaveFailedAndRolledBack(done, "openai-compatible provider failed (Unavailable)");
        StatusesOf(done).Should().Equal(["done", "done", "rolled_back", "pending"], done.ToString());
        var commits = await JobCommitsAsync(writer, projectId, jobId);
        commits.Select(ChapterOf).Should().Equal(["Chapter 1", "Chapter 2", "Chapter 3"]);
        for (var index = 0; index < 2; index++)
        {
            var kept = await TextAsync(writer, projectId, chapterIds[index]);
            var committed = await TextAsync(writer, projectId, chapterIds[index], commits[index].GetProperty("id").GetString()!);
            kept.Should().Be(committed, $"chapter {index + 1} was finished before the failure and is kept as the job wrote it");
            kept.Should().StartWith($"# Night {index + 1}").And.Contain("Mara Quinn");
        }

        (await TextAsync(writer, projectId, chapterIds[2])).Should().Be(HumanThird, "the chapter in progress is restored to what it was before the job");
        (await TextAsync(writer, projectId, chapterIds[3])).Should().BeNull("the job stopped before chapter 4");
        (await PlannedStatusesAsync(writer, projectId)).Should().Equal(["written", "written", "not_started", "not_started"],
            "kept chapters are written; the undone one is back at its status from before the job, even if its finish step had recorded it");
    }

    [Fact]
    public async Task Resuming_from_k_after_cancelling_and_editing_chapter_k_minus_one_by_hand_writes_k_with_the_edit_as_context()
    {
        await using var model = await StoryModel.StartAsync();
        model.Pace = ModelPace;
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        await model.UseForAsync(writer);
        var (projectId, chapterIds) = await CreateBookAsync(writer, 8);
        var job = await writer.PostJsonAsync("/api/v1/generation/jobs",
            new { projectId, fromChapter = 1, toChapter = 8, continuity = new { policy = "off" }, rollbackPolicy = "chapter", seed = 5 }, HttpStatusCode.Accepted);
        var jobId = job.GetProperty("id").GetString()!;
        await WaitForChaptersDoneAsync(writer, jobId, 2);
        await writer.PostJsonAsync($"/api/v1/generation/jobs/{jobId}/cancel", new { }, HttpStatusCode.Accepted);
        var cancelled = await WaitForEndAsync(writer, jobId, TimeSpan.FromMinutes(2));
        cancelled.GetProperty("state").GetString().Should().Be("Cancelled", cancelled.ToString());
        var edited = cancelled.GetProperty("chapters").EnumerateArray().Count(chapter => chapter.GetProperty("status").GetString() == "done");
        edited.Should().BeInRange(2, 7, cancelled.ToString());

        // Pause, edit the last finished chapter by hand (a human commit), switch to the model server, regenerate from the next.
        const string Edit = "Then Tobias Wren came up the lighthouse stair with a can of lamp oil and a letter for Mara Quinn.";
        var original = await TextAsync(writer, projectId, chapterIds[edited - 1]);
        var editedText = original!.TrimEnd() + "\n\n" + Edit + "\n";
        await SaveByHandAsync(writer, projectId, chapterIds[edited - 1], editedText);
        var askedBefore = model.Asks.Count;
        model.Pace = TimeSpan.Zero;
        var resumed = await writer.PostJsonAsync($"/api/v1/generation/jobs/{jobId}/resume", new { fromChapter = edited + 1 }, HttpStatusCode.Accepted);
        resumed.GetProperty("resumedFrom").GetString().Should().Be(jobId);
        var done = await WaitForEndAsync(writer, resumed.GetProperty("id").GetString()!, TimeSpan.FromMinutes(2));

        done.GetProperty("state").GetString().Should().Be("Completed", done.ToString());
        var asked = model.Asks.Skip(askedBefore).ToList();
        var write = asked.First(ask => ask.Agent == "writer" && ask.Chapter == edited + 1);
        write.PreviousEnding.Should().Contain(Edit, "the previous chapter's ending is read from the branch as it is now, edit included");
        write.StorySoFar.Should().Contain("Tobias Wren", "the edited chapter's fresh summary is carried into the running summary");
        asked.Where(ask => ask.Agent == "summarizer" && ask.Chapter < edited + 1).Select(ask => ask.Chapter)
            .Should().Equal([edited], "summaries are kept by content: only the edited chapter is summarised again");
        asked.Single(ask => ask.Agent == "summarizer" && ask.Chapter == edited).Prompt.Should().Contain(Edit);
        (await TextAsync(writer, projectId, chapterIds[edited - 1])).Should().Be(editedText, "resuming never touches the chapters before it");
        (await JobCommitsAsync(writer, projectId, resumed.GetProperty("id").GetString()!)).Select(ChapterOf)
            .Should().Equal(Enumerable.Range(edited + 1, 8 - edited).Select(number => $"Chapter {number}"));
    }

    [Fact]
    public async Task A_character_added_to_the_bible_during_a_job_reaches_the_chapters_planned_after_it()
    {
        await using var model = await StoryModel.StartAsync();
        model.Pace = ModelPace;
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        await model.UseForAsync(writer);
        var (projectId, _) = await CreateBookAsync(writer, 6);
        var job = await writer.PostJsonAsync("/api/v1/generation/jobs",
            new { projectId, fromChapter = 1, toChapter = 6, continuity = new { policy = "off" }, seed = 3 }, HttpStatusCode.Accepted);
        var jobId = job.GetProperty("id").GetString()!;
        await WaitForChaptersDoneAsync(writer, jobId, 2);
        await writer.PostJsonAsync($"/api/v1/projects/{projectId}/characters",
            new { name = "Tobias Wren", role = "supporting", facts = new[] { new { key = "trade", value = "carter" } } }, HttpStatusCode.Created);
        var added = DateTimeOffset.UtcNow;
        var done = await WaitForEndAsync(writer, jobId, TimeSpan.FromMinutes(2));

        done.GetProperty("state").GetString().Should().Be("Completed", done.ToString());
        var briefs = model.Asks.Where(ask => ask.Agent == "architect").ToList();
        briefs.Where(ask => ask.Chapter <= 2).Should().OnlyContain(ask => !ask.Prompt.Contains("Tobias Wren"), "the character did not exist yet");
        briefs.Single(ask => ask.Chapter == 6).Prompt.Should().Contain("Tobias Wren", "Projects announced the change and the job read the plan again");
        (await writer.GetJsonAsync($"/api/v1/generation/jobs/{jobId}")).GetProperty("chapters")[5].GetProperty("startedAt").GetDateTimeOffset()
            .Should().BeAfter(added, "chapter 6 was planned after the character was added");
    }

    [Fact]
    public async Task A_chapter_that_contradicts_the_bible_is_revised_with_the_findings_and_the_revision_is_recorded()
    {
        await using var model = await StoryModel.StartAsync();
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterIds) = await CreateBookAsync(writer, 3);
        await model.UseForAsync(writer);
        model.EyeColourIn = ask => ask.Chapter == 2 && !ask.IsRevision ? "blue" : null;

        var done = await RunJobAsync(writer, new { projectId, fromChapter = 1, toChapter = 3, continuity = new { policy = "revise", maxRevisions = 2 } });
        var jobId = done.GetProperty("id").GetString()!;

        done.GetProperty("state").GetString().Should().Be("Completed", done.ToString());
        var second = done.GetProperty("chapters")[1];
        second.GetProperty("revisions").GetInt32().Should().Be(1, done.ToString());
        second.GetProperty("continuity").GetString().Should().BeOneOf(["pass", "warning"], done.ToString());
        var revision = model.Asks.Single(ask => ask.Agent == "writer" && ask.Chapter == 2 && ask.IsRevision);
        revision.Prompt.Should().Contain("character.fact_contradiction").And.Contain("grey", "the revision prompt carries Continuity's findings");
        var commits = await JobCommitsAsync(writer, projectId, jobId);
        commits.Select(ChapterOf).Should().Equal(["Chapter 1", "Chapter 2", "Chapter 2", "Chapter 3"]);
        commits[2].GetProperty("message").GetString().Should().Contain("(revision 1)");
        (await WriterRunsAsync(writer, projectId, jobId, 2)).Should().HaveCount(2, "the draft and its revision are both recorded")
            .And.OnlyContain(run => run.GetProperty("provider").GetString() == "openai-compatible" && run.GetProperty("status").GetString() == "succeeded");
        (await TextAsync(writer, projectId, chapterIds[1])).Should().NotContain("blue eyes", "the branch holds the revised chapter");
    }

    [Fact]
    public async Task When_revisions_are_exhausted_the_job_stops_and_the_rollback_policy_holds()
    {
        await using var model = await StoryModel.StartAsync();
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterIds) = await CreateBookAsync(writer, 3);
        await model.UseForAsync(writer);
        // A new mistake each draft, so Continuity keeps asking for revisions rather than stopping for a human at once.
        model.EyeColourIn = ask => ask.Chapter != 2 ? null : ask.IsRevision ? "green" : "blue";

        var done = await RunJobAsync(writer, new { projectId, fromChapter = 1, toChapter = 3, continuity = new { policy = "revise", maxRevisions = 1 }, rollbackPolicy = "chapter" });

        ShouldHaveFailedAndRolledBack(done, "Continuity found errors in chapter 2 that 1 revision(s) did not fix");
        StatusesOf(done).Should().Equal(["done", "rolled_back", "pending"], done.ToString());
        done.GetProperty("chapters")[1].GetProperty("revisions").GetInt32().Should().Be(1);
        model.Asks.Count(ask => ask.Agent == "writer" && ask.Chapter == 2).Should().Be(2, "one draft and one revision, as maxRevisions allows");
        model.Asks.Should().NotContain(ask => ask.Chapter == 3);
        var texts = await ChapterTextsAsync(writer, projectId, chapterIds);
        texts[0].Should().StartWith("# Night 1", "the chapter before the failing one is kept");
        texts.Skip(1).Should().AllSatisfy(text => text.Should().BeNull("chapter 2's drafts are rolled back and chapter 3 was never written"));
    }

    [Fact]
    public async Task A_revision_word_for_word_the_draft_is_judged_again_and_the_job_stops_for_the_findings_not_for_an_empty_commit()
    {
        await using var model = await StoryModel.StartAsync();
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, _) = await CreateBookAsync(writer, 2);
        await model.UseForAsync(writer);
        // The same mistake in the same words every time, as a model at temperature 0 might answer.
        model.EyeColourIn = ask => ask.Chapter == 2 ? "blue" : null;

        var done = await RunJobAsync(writer, new { projectId, fromChapter = 1, toChapter = 2, continuity = new { policy = "revise", maxRevisions = 1 }, rollbackPolicy = "chapter" });

        ShouldHaveFailedAndRolledBack(done, "Continuity found errors in chapter 2 that 1 revision(s) did not fix");
        model.Asks.Count(ask => ask.Agent == "writer" && ask.Chapter == 2).Should().Be(2, "the draft and one revision");
        (await JobCommitsAsync(writer, projectId, done.GetProperty("id").GetString()!)).Select(ChapterOf)
            .Should().Equal(["Chapter 1", "Chapter 2"], "an unchanged revision commits nothing");
    }

    [Fact]
    public async Task A_books_own_provider_settings_win_for_its_jobs_and_deleting_them_returns_it_to_the_writers()
    {
        await using var model = await StoryModel.StartAsync();
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, _) = await CreateBookAsync(writer, 1);
        var (otherId, _) = await CreateBookAsync(writer, 1);
        await model.UseForAsync(writer, projectId);

        var own = await writer.GetJsonAsync($"/api/v1/projects/{projectId}/generation-settings");
        (own.GetProperty("scope").GetString(), own.GetProperty("provider").GetString(), own.GetProperty("hasApiKey").GetBoolean())
            .Should().Be(("book", "openai-compatible", true));
        var inherited = await writer.GetJsonAsync($"/api/v1/projects/{otherId}/generation-settings");
        (inherited.GetProperty("scope").GetString(), inherited.GetProperty("provider").GetString()).Should().Be(("user", "offline"));

        var done = await RunJobAsync(writer, new { projectId, chapter = 1, continuity = new { policy = "off" } });
        var other = await RunJobAsync(writer, new { projectId = otherId, chapter = 1, continuity = new { policy = "off" } });
        (await ProvidersOfAsync(writer, projectId, done)).Should().Equal(["openai-compatible"], "the book's own settings win for its jobs");
        (await ProvidersOfAsync(writer, otherId, other)).Should().Equal(["offline"], "a book without settings uses its writer's");

        using (var bad = await writer.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/generation-settings", new { provider = "telepathy" }, ifMatch: "\"2\""))
        {
            bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("Provider", out _).Should().BeTrue("the problem names the field");
        }

        using var stranger = await GatewayClient.RegisterAsync(stack.Gateway);
        (await stranger.SendAsync(HttpMethod.Get, $"/api/v1/projects/{projectId}/generation-settings")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await stranger.SendAsync(HttpMethod.Delete, $"/api/v1/projects/{projectId}/generation-settings")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await writer.SendAsync(HttpMethod.Delete, $"/api/v1/projects/{projectId}/generation-settings")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/generation-settings")).GetProperty("scope").GetString().Should().Be("user");
    }

    private static async Task<List<string?>> ProvidersOfAsync(GatewayClient writer, string projectId, JsonElement job)
    {
        job.GetProperty("state").GetString().Should().Be("Completed", job.ToString());
        return (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/agent-runs?jobId={job.GetProperty("id").GetString()}")).GetProperty("items")
            .EnumerateArray().Select(run => run.GetProperty("provider").GetString()).Distinct().ToList();
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

    /// <summary>A human's version of one chapter, on top of the branch's current head.</summary>
    private static async Task SaveByHandAsync(GatewayClient writer, string projectId, string chapterId, string text)
    {
        var head = (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/branches")).EnumerateArray().Single().GetProperty("headCommitId");
        using var save = await writer.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/chapters/{chapterId}/content",
            new { text, mode = "version", expectedHead = head.ValueKind == JsonValueKind.String ? head.GetString() : null });
        save.StatusCode.Should().Be(HttpStatusCode.Created, await save.Content.ReadAsStringAsync());
    }

    /// <summary>Every chapter's text on main, in order; null where the branch has none.</summary>
    private static async Task<List<string?>> ChapterTextsAsync(GatewayClient writer, string projectId, IEnumerable<string> chapterIds)
    {
        var texts = new List<string?>();
        foreach (var chapterId in chapterIds)
        {
            texts.Add(await TextAsync(writer, projectId, chapterId));
        }

        return texts;
    }

    /// <summary>A chapter's text at a branch or commit; null where it has none.</summary>
    private static async Task<string?> TextAsync(GatewayClient writer, string projectId, string chapterId, string reference = "main")
    {
        using var response = await writer.SendAsync(HttpMethod.Get, $"/api/v1/projects/{projectId}/chapters/{chapterId}/content?ref={reference}");
        response.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.NotFound);
        return response.StatusCode == HttpStatusCode.OK
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString()
            : null;
    }

    private static async Task<JsonElement> RunJobAsync(GatewayClient writer, object request)
    {
        var job = await writer.PostJsonAsync("/api/v1/generation/jobs", request, HttpStatusCode.Accepted);
        return await WaitForEndAsync(writer, job.GetProperty("id").GetString()!, TimeSpan.FromMinutes(2));
    }

    private static void ShouldHaveFailedAndRolledBack(JsonElement job, string reason)
    {
        job.GetProperty("state").GetString().Should().Be("Failed", job.ToString());
        job.GetProperty("stopReason").GetString().Should().Contain(reason, job.ToString());
        job.GetProperty("rollbackCommitId").GetString().Should().NotBeNullOrEmpty(job.ToString());
    }

    private static async Task<List<string?>> PlannedStatusesAsync(GatewayClient writer, string projectId) =>
        (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/chapters")).EnumerateArray().Select(chapter => chapter.GetProperty("status").GetString()).ToList();

    private static IEnumerable<string?> StatusesOf(JsonElement job) =>
        job.GetProperty("chapters").EnumerateArray().Select(chapter => chapter.GetProperty("status").GetString());

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
                job.GetProperty("state").GetString().Should().Be("Running", $"the test acts on job {jobId} while it runs");
                return;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"job {jobId} should reach {done} chapters; it is at {job}");
            await Task.Delay(100);
        }
    }

    private static async Task<List<JsonElement>> WriterRunsAsync(GatewayClient writer, string projectId, string jobId, int chapter) =>
        (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/agent-runs?jobId={jobId}&chapter={chapter}")).GetProperty("items").EnumerateArray()
            .Where(run => run.GetProperty("agent").GetString() == "writer").ToList();

    /// <summary>Which chapter a job's commit wrote: "Chapter 3" of "Chapter 3: Night 3 — generation job …".</summary>
    private static string ChapterOf(JsonElement commit) => commit.GetProperty("message").GetString()!.Split(':')[0];

    /// <summary>Whether main has a commit whose message starts with <paramref name="chapter"/>; main has no log before its first commit.</summary>
    private static async Task<bool> HasCommitAsync(GatewayClient writer, string projectId, string chapter)
    {
        using var response = await writer.SendAsync(HttpMethod.Get, $"/api/v1/projects/{projectId}/log?ref=main&limit=500");
        response.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.NotFound);
        return response.StatusCode == HttpStatusCode.OK
            && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Any(commit => ChapterOf(commit) == chapter);
    }

    /// <summary>The job's commits on main, oldest first.</summary>
    private static async Task<List<JsonElement>> JobCommitsAsync(GatewayClient writer, string projectId, string jobId) =>
        (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/log?ref=main&limit=500")).EnumerateArray()
            .Where(commit => commit.GetProperty("correlationId").GetString() == jobId && commit.GetProperty("kind").GetString() != "rollback")
            .Reverse().ToList();
}
