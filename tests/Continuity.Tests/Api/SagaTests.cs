using System.Collections.Concurrent;
using Folio.Contracts;
using Folio.Contracts.Continuity;
using Folio.Contracts.Projects;
using MassTransit;

namespace Folio.Continuity.Tests.Api;

/// <summary>The generation saga's request and Continuity's answer, both over the test RabbitMQ.</summary>
[Collection(SharedContinuityApi.Name)]
public sealed class SagaTests(ContinuityApiFactory api) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<Guid, ChapterContinuityChecked> answers = new();
    private HostReceiveEndpointHandle? endpoint;

    public async Task InitializeAsync()
    {
        endpoint = api.Bus.ConnectReceiveEndpoint($"continuity-tests-saga-{Guid.NewGuid():N}", configure =>
            configure.Handler<ChapterContinuityChecked>(context =>
            {
                answers[context.Message.RequestId] = context.Message;
                return Task.CompletedTask;
            }));
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
    public async Task Errors_ask_for_a_revision_with_findings_and_the_same_errors_after_a_revision_stop_the_saga()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[2], "g1", "It was dawn.\n\nPike walked along the quay.");

        var first = await AskAsync(book, "g1", 3);

        first.Verdict.Should().Be("revise");
        first.Status.Should().Be("error");
        first.CheckId.Should().NotBeEmpty();
        var finding = first.Findings.Should().ContainSingle().Subject;
        finding.Should().BeEquivalentTo(new { Rule = "character.dead_appears", Severity = "error", Line = 3, Text = "Pike walked along the quay." });

        api.Texts.Write(book.ProjectId, book.Chapters[2], "g2", "It was dawn. The wind rose.\n\nPike walked along the quay.");
        (await AskAsync(book, "g2", 3)).Verdict.Should().Be("stop");

        api.Texts.Write(book.ProjectId, book.Chapters[2], "g3", "It was dawn.\n\nEllen walked along the quay.");
        var fixedAnswer = await AskAsync(book, "g3", 3);
        fixedAnswer.Verdict.Should().Be("pass");
        fixedAnswer.Findings.Should().BeEmpty();
    }

    [Fact]
    public async Task A_chapter_without_text_at_the_commit_stops_the_saga_and_a_new_book_is_known_from_the_request()
    {
        var book = new TestBook(api);
        api.Texts.Own(book.ProjectId, book.OwnerId);

        var answer = await AskAsync(book, "missing", 1, Guid.NewGuid());

        answer.Verdict.Should().Be("stop");
        answer.Findings.Should().ContainSingle().Which.Rule.Should().Be("continuity.source");
    }

    [Fact]
    public async Task A_beat_of_the_brief_the_chapter_was_written_from_that_the_text_misses_asks_for_a_revision_citing_the_beat()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "b1", "It was dawn.\n\nEllen climbed the stair and lit the great lamp.");
        var brief = new ChapterPlan(["Ellen climbs the stair and lights the lamp", "Tom confesses he sold the lighthouse boat to smugglers"], "third");

        var answer = await AskAsync(book, "b1", 1, brief: brief);

        answer.Verdict.Should().Be("revise");
        var finding = answer.Findings.Should().ContainSingle().Subject;
        finding.Rule.Should().Be("brief.beat_missing");
        finding.Severity.Should().Be("error");
        finding.Description.Should().Contain("Beat 2").And.Contain("Tom confesses he sold the lighthouse boat to smugglers");

        api.Texts.Write(book.ProjectId, book.Chapters[0], "b2",
            "It was dawn.\n\nEllen climbed the stair and lit the great lamp.\n\nTom confessed that he had sold the lighthouse boat to the smugglers.");
        (await AskAsync(book, "b2", 1, brief: brief)).Verdict.Should().Be("pass");
    }

    [Fact]
    public async Task Without_a_brief_in_the_request_the_brief_projects_holds_for_the_chapter_is_used_and_its_point_of_view_too()
    {
        var book = await TestBook.CreateAsync(api);
        await book.PublishAsync(new ChapterUpdated(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(book.OwnerId), book.ProjectId, book.Chapters[0],
            1, "Chapter 1", "brief_complete", null, new ChapterPlan(["Tom rows out to the wreck of the nameless ship"], "first")));
        await book.WaitAsync("SELECT count(*) FROM chapters WHERE project_id = @ProjectId AND brief IS NOT NULL", 1);
        var narration = string.Join(" ", Enumerable.Range(0, 40).Select(index => $"Ellen climbed stair {index} toward the lantern room."));
        api.Texts.Write(book.ProjectId, book.Chapters[0], "p1", narration);

        var answer = await AskAsync(book, "p1", 1);

        answer.Verdict.Should().Be("revise");
        answer.Findings.Select(finding => finding.Rule).Should().Contain(["brief.beat_missing", "pov.shift"]);
        answer.Findings.Single(finding => finding.Rule == "brief.beat_missing").Description.Should().Contain("Tom rows out to the wreck of the nameless ship");
    }

    private async Task<ChapterContinuityChecked> AskAsync(TestBook book, string commitId, int number, Guid? chapterId = null, ChapterPlan? brief = null)
    {
        var requestId = Guid.NewGuid();
        await api.Bus.Publish(new CheckChapterContinuity(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.System("generation"), requestId,
            book.OwnerId, book.ProjectId, "main", commitId, chapterId ?? book.Chapters[number - 1], number, brief));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!answers.ContainsKey(requestId))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "Continuity answers a saga request within a bounded time");
            await Task.Delay(50);
        }

        return answers[requestId];
    }
}
