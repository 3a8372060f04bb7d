using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Contracts;
using Folio.Contracts.Continuity;
using Folio.Contracts.Generation;
using Folio.Tests.Infrastructure;
using MassTransit;

namespace Folio.Continuity.Tests.Api;

/// <summary>
/// LLM checks over the test RabbitMQ. A receive endpoint here stands in for Generation's continuity reviewer: it records each
/// <see cref="ReviewChapterContinuity"/> and answers with what the test scripted for that book (or never, to test the timeout).
/// </summary>
[Collection(SharedContinuityApi.Name)]
public sealed class LlmChecksTests(ContinuityApiFactory api) : IAsyncLifetime
{
    private const string Chapter = "It was dawn on the quay.\n\nPike walked along the quay.\n\nEllen's blue eyes searched the dark water for the ship.";

    private readonly ConcurrentDictionary<Guid, Func<ReviewChapterContinuity, ChapterContinuityReviewed?>> reviewers = new();
    private readonly ConcurrentQueue<ReviewChapterContinuity> requests = new();
    private HostReceiveEndpointHandle? endpoint;

    public async Task InitializeAsync()
    {
        endpoint = api.Bus.ConnectReceiveEndpoint($"continuity-tests-reviewer-{Guid.NewGuid():N}", configure =>
        {
            // A broken reviewer faults at once: the bus's retries would outlast the review's timeout.
            configure.UseMessageRetry(retry => retry.None());
            configure.Handler<ReviewChapterContinuity>(async context =>
            {
                if (!reviewers.TryGetValue(context.Message.ProjectId, out var review))
                {
                    return;
                }

                requests.Enqueue(context.Message);
                if (review(context.Message) is { } answer)
                {
                    await context.RespondAsync(answer);
                }
            });
        });
        await endpoint.Ready;
    }

    public async Task DisposeAsync()
    {
        if (endpoint is not null)
        {
            await endpoint.StopAsync();
        }
    }

    [Fact]
    public async Task Llm_checks_are_off_by_default_switch_on_per_book_and_are_404_for_another_user_and_400_for_bad_input()
    {
        var book = await TestBook.CreateAsync(api);

        (await (await book.Owner.GetAsync(book.Path("settings"))).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("llmChecks").GetBoolean().Should().BeFalse();
        var saved = await (await book.Owner.PutAsJsonAsync(book.Path("settings"), Settings(llmChecks: true))).ShouldBeJsonAsync(HttpStatusCode.OK);
        saved.GetProperty("llmChecks").GetBoolean().Should().BeTrue();
        (await (await book.Owner.GetAsync(book.Path("settings"))).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("llmChecks").GetBoolean().Should().BeTrue();

        await (await api.ClientFor(Guid.NewGuid()).PutAsJsonAsync(book.Path("settings"), Settings(llmChecks: false))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await book.Owner.PutAsync(book.Path("settings"), new StringContent(
            """{"pointOfView":"third","tense":"past","bannedPhrases":[],"repetitionThreshold":3,"lengthTolerance":0.5,"autoRecheck":true,"rules":{},"llmChecks":"yes"}""",
            System.Text.Encoding.UTF8, "application/json"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        (await (await book.Owner.GetAsync(book.Path("settings"))).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("llmChecks").GetBoolean()
            .Should().BeTrue("neither the stranger's nor the malformed request changed anything");
    }

    [Fact]
    public async Task With_llm_checks_off_no_review_is_asked_for_and_the_run_is_rules_only()
    {
        var book = await TestBook.CreateAsync(api);
        reviewers[book.ProjectId] = request => Answer(request, "completed", []);
        api.Texts.Write(book.ProjectId, book.Chapters[2], "l0", Chapter);

        var run = await ChecksApiTests.CheckAsync(book, book.Chapters[2]);

        run.GetProperty("checkType").GetString().Should().Be("rules");
        run.GetProperty("llm").ValueKind.Should().Be(JsonValueKind.Null);
        requests.Should().NotContain(request => request.ProjectId == book.ProjectId);
    }

    [Fact]
    public async Task Automatic_rechecks_after_a_revision_run_the_rules_only()
    {
        var book = await TestBook.CreateAsync(api);
        await EnableAsync(book, autoRecheck: true);
        reviewers[book.ProjectId] = request => Answer(request, "completed", []);
        api.Texts.Write(book.ProjectId, book.Chapters[2], "l5", Chapter);

        await book.PublishAsync(ChecksApiTests.Committed(book, "l5", book.Chapters[2]));
        await book.WaitAsync("SELECT count(*) FROM check_runs WHERE project_id = @ProjectId AND trigger = 'revision'", 1);

        var run = (await (await book.Owner.GetAsync(book.Path($"chapters/{book.Chapters[2]}/checks"))).ShouldBeJsonAsync(HttpStatusCode.OK))[0];
        (run.GetProperty("trigger").GetString(), run.GetProperty("checkType").GetString()).Should().Be(("revision", "rules"));
        run.GetProperty("llm").ValueKind.Should().Be(JsonValueKind.Null);
        requests.Should().NotContain(request => request.ProjectId == book.ProjectId);
    }

    [Fact]
    public async Task Accepted_llm_findings_are_merged_with_the_rule_findings_and_those_without_evidence_or_a_real_quote_are_dropped()
    {
        var book = await TestBook.CreateAsync(api);
        await EnableAsync(book);
        reviewers[book.ProjectId] = request => Answer(request, "completed",
        [
            new ReviewFinding("llm.character", "error", 5, "Ellen’s  blue eyes", "Ellen's eyes are grey, not blue.", "Make them grey.",
                [new ReviewEvidence(null, null, "Ellen Marsh: eye_colour = grey")]),
            new ReviewFinding("llm.place", "warning", 1, "dawn on the quay", "The quay is not in the bible.", null, []),
            new ReviewFinding("llm.timeline", "error", 3, "Pike sailed to France", "Pike cannot sail.", null, [new ReviewEvidence(2, 1, "Pike drowned.")]),
        ]);
        api.Texts.Write(book.ProjectId, book.Chapters[2], "l1", Chapter);

        var run = await ChecksApiTests.CheckAsync(book, book.Chapters[2]);

        run.GetProperty("checkType").GetString().Should().Be("rules+llm");
        run.GetProperty("status").GetString().Should().Be("error");
        var llm = run.GetProperty("llm");
        (llm.GetProperty("status").GetString(), llm.GetProperty("provider").GetString(), llm.GetProperty("findings").GetInt32(), llm.GetProperty("dropped").GetInt32())
            .Should().Be(("completed", "openai-compatible", 1, 2));
        var violations = run.GetProperty("violations").EnumerateArray().ToList();
        violations.Select(violation => violation.GetProperty("rule").GetString()).Should().BeEquivalentTo("character.dead_appears", "character.fact_contradiction", "llm.character");
        var merged = violations.Single(violation => violation.GetProperty("rule").GetString() == "llm.character");
        merged.GetProperty("location").GetProperty("line").GetInt32().Should().Be(5);
        merged.GetProperty("location").GetProperty("text").GetString().Should().Be("Ellen's blue eyes searched the dark water for the ship.");
        merged.GetProperty("evidence")[0].GetProperty("text").GetString().Should().Be("Ellen Marsh: eye_colour = grey");
        merged.GetProperty("fingerprint").GetString().Should().HaveLength(32);

        var request = requests.Single(sent => sent.ProjectId == book.ProjectId);
        (request.OwnerId, request.ChapterId, request.ChapterNumber, request.CommitId, request.ChapterText).Should().Be((book.OwnerId, book.Chapters[2], 3, "l1", Chapter));
        request.Characters.Single(character => character.Name == "Jonas Pike").Facts.Should().Contain("status", "dead");
        request.Characters.Single(character => character.Name == "Ellen Marsh").Facts.Should().Contain("eye_colour", "grey");

        var stored = await (await book.Owner.GetAsync(book.Path($"checks/{run.GetProperty("id").GetGuid()}"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        stored.GetProperty("llm").GetRawText().Should().Be(llm.GetRawText());

        await (await book.Owner.PostAsJsonAsync(book.Path("waivers"), new { checkId = run.GetProperty("id").GetGuid(), fingerprint = merged.GetProperty("fingerprint").GetString() }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var waived = await ChecksApiTests.CheckAsync(book, book.Chapters[2]);
        waived.GetProperty("violations").EnumerateArray().Select(violation => violation.GetProperty("rule").GetString()).Should().NotContain("llm.character");
        waived.GetProperty("waived").GetInt32().Should().Be(1, "a waiver holds for an LLM finding on the same passage as for a rule's");
    }

    [Fact]
    public async Task A_skipped_or_failed_review_shows_on_the_run_and_the_rule_findings_stand()
    {
        var book = await TestBook.CreateAsync(api);
        await EnableAsync(book);
        api.Texts.Write(book.ProjectId, book.Chapters[2], "l2", Chapter);

        reviewers[book.ProjectId] = request => Answer(request, "skipped: offline provider", [], provider: "offline");
        var skipped = await ChecksApiTests.CheckAsync(book, book.Chapters[2]);
        skipped.GetProperty("llm").GetProperty("status").GetString().Should().Be("skipped: offline provider");
        skipped.GetProperty("violations").EnumerateArray().Select(violation => violation.GetProperty("rule").GetString())
            .Should().BeEquivalentTo("character.dead_appears", "character.fact_contradiction");

        reviewers[book.ProjectId] = _ => throw new InvalidOperationException("the reviewer broke");
        var faulted = await ChecksApiTests.CheckAsync(book, book.Chapters[2]);
        faulted.GetProperty("llm").GetProperty("status").GetString().Should().Be("failed: the reviewer broke");
        faulted.GetProperty("status").GetString().Should().Be("error");
        faulted.GetProperty("violations").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task A_review_that_does_not_come_in_time_is_reported_as_timed_out_and_the_rule_findings_stand()
    {
        var book = await TestBook.CreateAsync(api);
        await EnableAsync(book);
        reviewers[book.ProjectId] = _ => null;
        api.Texts.Write(book.ProjectId, book.Chapters[2], "l3", Chapter);

        var started = DateTime.UtcNow;
        var run = await ChecksApiTests.CheckAsync(book, book.Chapters[2]);

        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(20));
        run.GetProperty("llm").GetProperty("status").GetString().Should().Be("timed out: no review within 4 s");
        run.GetProperty("violations").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task The_generation_saga_gets_the_llm_findings_with_the_rule_findings()
    {
        var book = await TestBook.CreateAsync(api);
        await EnableAsync(book);
        reviewers[book.ProjectId] = request => Answer(request, "completed",
            [new ReviewFinding("llm.character", "error", null, "searched the dark water", "Ellen cannot see the water from the lamp room.", "Move her to the gallery.",
                [new ReviewEvidence(1, 4, "The lamp room has no window on the sea side.")])]);
        api.Texts.Write(book.ProjectId, book.Chapters[1], "l4", "Ellen climbed the stair.\n\nShe searched the dark water.");
        var answers = new ConcurrentDictionary<Guid, ChapterContinuityChecked>();
        var sagaEndpoint = api.Bus.ConnectReceiveEndpoint($"continuity-tests-llm-saga-{Guid.NewGuid():N}", configure =>
            configure.Handler<ChapterContinuityChecked>(context =>
            {
                answers[context.Message.RequestId] = context.Message;
                return Task.CompletedTask;
            }));
        await sagaEndpoint.Ready;
        try
        {
            var requestId = Guid.NewGuid();
            await api.Bus.Publish(new CheckChapterContinuity(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.System("generation"), requestId,
                book.OwnerId, book.ProjectId, "main", "l4", book.Chapters[1], 2));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!answers.ContainsKey(requestId))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, "Continuity answers a saga request within a bounded time, the LLM review included");
                await Task.Delay(50);
            }

            var answer = answers[requestId];
            answer.Verdict.Should().Be("revise");
            answer.Findings.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Rule = "llm.character", Line = 3, Text = "She searched the dark water." });
        }
        finally
        {
            await sagaEndpoint.StopAsync();
        }
    }

    private static object Settings(bool llmChecks, bool autoRecheck = false) => new
    {
        pointOfView = "third", tense = "past", bannedPhrases = Array.Empty<string>(), repetitionThreshold = 3, lengthTolerance = 0.5, autoRecheck,
        rules = new Dictionary<string, object>(), llmChecks,
    };

    private static async Task EnableAsync(TestBook book, bool autoRecheck = false) =>
        await (await book.Owner.PutAsJsonAsync(book.Path("settings"), Settings(llmChecks: true, autoRecheck))).ShouldBeJsonAsync(HttpStatusCode.OK);

    private static ChapterContinuityReviewed Answer(ReviewChapterContinuity request, string status, IReadOnlyList<ReviewFinding> findings, string provider = "openai-compatible") =>
        new(Guid.NewGuid(), request.CorrelationId, DateTimeOffset.UtcNow, Actor.System("generation"), request.ProjectId, request.ChapterId, status, provider, "gpt-test", findings);
}
