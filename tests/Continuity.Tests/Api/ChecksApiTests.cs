using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.Contracts.Versioning;
using Folio.Tests.Infrastructure;

namespace Folio.Continuity.Tests.Api;

[Collection(SharedContinuityApi.Name)]
public sealed class ChecksApiTests(ContinuityApiFactory api)
{
    private const string Contradiction = "Ellen climbed the stair.\n\nEllen's blue eyes searched the dark water.";

    [Fact]
    public async Task A_check_stores_a_run_in_the_published_shape_with_evidence_for_the_planted_contradiction()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[1], "c0ffee01", Contradiction);

        var run = await (await book.Owner.PostAsJsonAsync(book.Path($"chapters/{book.Chapters[1]}/checks"), new { @ref = "main" })).ShouldBeJsonAsync(HttpStatusCode.Created);

        run.GetProperty("chapterId").GetGuid().Should().Be(book.Chapters[1]);
        run.GetProperty("ref").GetString().Should().Be("main");
        run.GetProperty("commit").GetString().Should().Be("c0ffee01");
        run.GetProperty("checkType").GetString().Should().Be("rules");
        run.GetProperty("status").GetString().Should().Be("error");
        run.GetProperty("createdAt").GetDateTime().Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        run.GetProperty("passedRules").EnumerateArray().Select(rule => rule.GetString()).Should().Contain("character.dead_appears").And.NotContain("character.fact_contradiction");
        var violation = run.GetProperty("violations").EnumerateArray().Should().ContainSingle().Subject;
        violation.GetProperty("rule").GetString().Should().Be("character.fact_contradiction");
        violation.GetProperty("severity").GetString().Should().Be("error");
        violation.GetProperty("location").GetProperty("line").GetInt32().Should().Be(3);
        violation.GetProperty("location").GetProperty("text").GetString().Should().Be("Ellen's blue eyes searched the dark water.");
        violation.GetProperty("suggestion").GetString().Should().Contain("grey");
        violation.GetProperty("evidence")[0].GetProperty("text").GetString().Should().Be("Ellen Marsh: eye_colour = grey (bible)");
        violation.GetProperty("fingerprint").GetString().Should().HaveLength(32);

        var stored = await (await book.Owner.GetAsync(book.Path($"checks/{run.GetProperty("id").GetGuid()}"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        stored.GetProperty("violations").GetRawText().Should().Be(run.GetProperty("violations").GetRawText());
    }

    [Fact]
    public async Task Queries_give_history_latest_status_per_chapter_filters_and_counts_per_rule()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "a1", "Ellen climbed the stair and lit the lamp.");
        api.Texts.Write(book.ProjectId, book.Chapters[1], "a1", Contradiction);
        await CheckAsync(book, book.Chapters[0]);
        await CheckAsync(book, book.Chapters[1]);
        api.Texts.Write(book.ProjectId, book.Chapters[1], "a2", Contradiction + "\n\nTom's cousin Ellen waved. Elen waved too.");
        await CheckAsync(book, book.Chapters[1]);

        var history = await (await book.Owner.GetAsync(book.Path($"chapters/{book.Chapters[1]}/checks"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        history.EnumerateArray().Select(run => run.GetProperty("commit").GetString()).Should().Equal("a2", "a1");

        var latest = await (await book.Owner.GetAsync(book.Path("chapters"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        latest.EnumerateArray().Select(chapter => (chapter.GetProperty("number").GetInt32(), chapter.GetProperty("status").GetString()))
            .Should().Equal((1, "pass"), (2, "error"), (3, null));

        var withErrors = await (await book.Owner.GetAsync(book.Path("chapters?status=warning,error"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        withErrors.EnumerateArray().Select(chapter => chapter.GetProperty("chapterId").GetGuid()).Should().Equal(book.Chapters[1]);

        var byRule = await (await book.Owner.GetAsync(book.Path("violations/by-rule"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        byRule.EnumerateArray().Select(rule => (rule.GetProperty("rule").GetString(), rule.GetProperty("violations").GetInt32()))
            .Should().BeEquivalentTo([("character.fact_contradiction", 1), ("character.unknown_name", 1)]);
    }

    [Fact]
    public async Task Empty_and_200000_word_chapters_give_valid_results()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "e1", "");
        var huge = string.Join("\n\n", Enumerable.Range(0, 12_000).Select(index => $"Ellen climbed the stair and trimmed the wick while Tom watched the boats in the bay {index}."));
        api.Texts.Write(book.ProjectId, book.Chapters[1], "e1", huge);

        var empty = await CheckAsync(book, book.Chapters[0]);
        var big = await CheckAsync(book, book.Chapters[1]);

        empty.GetProperty("words").GetInt32().Should().Be(0);
        empty.GetProperty("status").GetString().Should().Be("pass");
        big.GetProperty("words").GetInt32().Should().BeGreaterThanOrEqualTo(200_000);
        big.GetProperty("status").GetString().Should().BeOneOf("pass", "warning", "error");
    }

    [Fact]
    public async Task The_projection_keeps_each_chapters_brief_and_target_from_projects_and_checks_without_a_brief_use_it()
    {
        var book = await TestBook.CreateAsync(api);
        var chapterId = Guid.NewGuid();
        await book.PublishAsync(new ChapterAdded(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, chapterId, 4, "The Wreck",
            new ChapterPlan(["Ellen finds the logbook in the wreck"], "Ellen"), 2_000));
        await book.WaitAsync("SELECT count(*) FROM chapters WHERE chapter_id = @chapterId AND target_length = 2000 AND brief->'beats'->>0 = 'Ellen finds the logbook in the wreck'", 1, new { chapterId });
        api.Texts.Write(book.ProjectId, chapterId, "w1", "Ellen rowed to the reef and back.");

        var run = await CheckAsync(book, chapterId);

        run.GetProperty("violations").EnumerateArray().Select(violation => violation.GetProperty("rule").GetString()).Should().BeEquivalentTo("brief.beat_missing", "length.target");
        var beat = run.GetProperty("violations").EnumerateArray().Single(violation => violation.GetProperty("rule").GetString() == "brief.beat_missing");
        beat.GetProperty("evidence")[0].GetProperty("text").GetString().Should().Be("Brief beat 1: Ellen finds the logbook in the wreck");

        var requested = await (await book.Owner.PostAsJsonAsync(book.Path($"chapters/{chapterId}/checks"), new { brief = new { beats = new[] { "Ellen rows to the reef" } } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        requested.GetProperty("violations").EnumerateArray().Select(violation => violation.GetProperty("rule").GetString()).Should().Equal("length.target");
        var fitting = await (await book.Owner.PostAsJsonAsync(book.Path($"chapters/{chapterId}/checks"), new { brief = new { beats = new[] { "Ellen rows to the reef" }, targetLength = 7 } }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        fitting.GetProperty("status").GetString().Should().Be("pass", "a target length in the request overrides the chapter's");

        await book.PublishAsync(new ChapterUpdated(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, chapterId, 4, "The Wreck",
            "not_started", null, null));
        await book.WaitAsync("SELECT count(*) FROM chapters WHERE chapter_id = @chapterId AND brief IS NULL AND target_length IS NULL", 1, new { chapterId });
        (await CheckAsync(book, chapterId)).GetProperty("status").GetString().Should().Be("pass");
    }

    [Fact]
    public async Task Extraction_lists_who_appears_and_is_offered_to_projects()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "x1", "It was now the middle of November.\n\nEllen met Tom, and then Mara Quint came. Ellen spoke with Quint.\n\nQuint left.");
        await CheckAsync(book, book.Chapters[0]);

        var extraction = await (await book.Owner.GetAsync(book.Path($"chapters/{book.Chapters[0]}/extraction"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        extraction.GetProperty("appearances").EnumerateArray().Select(appearance => appearance.GetProperty("character").GetString()).Should().Equal("Ellen Marsh", "Tom Marsh");
        extraction.GetProperty("unknownNames").EnumerateArray().Select(name => name.GetProperty("name").GetString()).Should().Equal("Quint");
        extraction.GetProperty("dates")[0].GetProperty("month").GetInt32().Should().Be(10);
        await book.WaitAsync(
            "SELECT count(*) FROM outbox_messages WHERE aggregate_id = @Id AND message_type LIKE '%ContinuitySuggestionsExtracted%' AND dispatched_at IS NOT NULL AND body->'unknownNames'->0->>'name' = 'Quint'",
            1, new { Id = book.ProjectId.ToString() });
    }

    [Fact]
    public async Task Unknown_chapters_refs_checks_and_other_users_projects_are_404_and_malformed_requests_are_400()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "b1", "Ellen climbed.");

        await (await book.Owner.PostAsJsonAsync(book.Path($"chapters/{Guid.NewGuid()}/checks"), new { })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await book.Owner.PostAsJsonAsync(book.Path($"chapters/{book.Chapters[0]}/checks"), new { @ref = "no-such-branch" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await book.Owner.GetAsync(book.Path($"chapters/{Guid.NewGuid()}/checks"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await book.Owner.GetAsync(book.Path($"checks/{Guid.NewGuid()}"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await book.Owner.GetAsync(book.Path($"chapters/{book.Chapters[1]}/extraction"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var stranger = api.ClientFor(Guid.NewGuid());
        await (await stranger.PostAsJsonAsync(book.Path($"chapters/{book.Chapters[0]}/checks"), new { })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync(book.Path("chapters"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync(book.Path("propagation-debt"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync(book.Path("waivers"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync(book.Path("settings"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await api.ClientFor(null).GetAsync(book.Path("chapters"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await (await book.Owner.PostAsJsonAsync(book.Path($"chapters/{book.Chapters[0]}/checks"), new { @ref = "" })).ShouldBeValidationProblemAsync("Ref");
        await (await book.Owner.PostAsJsonAsync(book.Path($"chapters/{book.Chapters[0]}/checks"), new { brief = new { beats = Enumerable.Repeat("x", 51) } }))
            .ShouldBeValidationProblemAsync("Brief.Beats");
        await (await book.Owner.PostAsJsonAsync(book.Path($"chapters/{book.Chapters[0]}/checks"), new { brief = new { beats = new[] { "x" }, targetLength = 0 } }))
            .ShouldBeValidationProblemAsync("Brief.TargetLength");
        await (await book.Owner.PostAsync(book.Path($"chapters/{book.Chapters[0]}/checks"), new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await (await book.Owner.GetAsync(book.Path("chapters?status=bogus"))).ShouldBeValidationProblemAsync("status");
        await (await book.Owner.PostAsJsonAsync(book.Path("waivers"), new { checkId = Guid.NewGuid(), fingerprint = "nope" })).ShouldBeValidationProblemAsync("Fingerprint");
        await (await book.Owner.PutAsJsonAsync(book.Path("settings"), new { pointOfView = "third", tense = "future", bannedPhrases = Array.Empty<string>(), repetitionThreshold = 3, lengthTolerance = 0.5, autoRecheck = true, rules = new Dictionary<string, object>() }))
            .ShouldBeValidationProblemAsync("Tense");
        await (await book.Owner.PutAsJsonAsync(book.Path("settings"), new { pointOfView = "third", tense = "past", bannedPhrases = Array.Empty<string>(), repetitionThreshold = 3, lengthTolerance = 0.5, autoRecheck = true, rules = new Dictionary<string, object> { ["no.such.rule"] = new { enabled = false } } }))
            .ShouldBeValidationProblemAsync("Rules[0]");
    }

    [Fact]
    public async Task Settings_switch_rules_off_change_severities_and_ban_phrases()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "s1", "Ellen's blue eyes shone. It was a testament to her mood.");
        var settings = new
        {
            pointOfView = "third", tense = "past", bannedPhrases = new[] { "a testament to" }, repetitionThreshold = 3, lengthTolerance = 0.5, autoRecheck = false,
            rules = new Dictionary<string, object> { ["character.fact_contradiction"] = new { enabled = true, severity = "warning" } },
        };
        var saved = await (await book.Owner.PutAsJsonAsync(book.Path("settings"), settings)).ShouldBeJsonAsync(HttpStatusCode.OK);
        saved.GetProperty("rules").GetProperty("character.fact_contradiction").GetProperty("severity").GetString().Should().Be("warning");

        var run = await CheckAsync(book, book.Chapters[0]);

        run.GetProperty("status").GetString().Should().Be("warning");
        run.GetProperty("violations").EnumerateArray().Select(violation => (violation.GetProperty("rule").GetString(), violation.GetProperty("severity").GetString()))
            .Should().BeEquivalentTo([("character.fact_contradiction", "warning"), ("style.repetition", "warning")]);
    }

    internal static async Task<JsonElement> CheckAsync(TestBook book, Guid chapterId, string reference = "main") =>
        await (await book.Owner.PostAsJsonAsync(book.Path($"chapters/{chapterId}/checks"), new { @ref = reference })).ShouldBeJsonAsync(HttpStatusCode.Created);

    internal static ChapterRevisionCommitted Committed(TestBook book, string commitId, params Guid[] chapters) =>
        new(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, "main", commitId, "edit",
            chapters.Select(chapter => new ChapterChange(chapter, "modified", "content", 10, 1, 1, 10)).ToList());
}
