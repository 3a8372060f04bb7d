using System.Collections.Concurrent;
using Folio.Contracts;
using Folio.Contracts.Continuity;
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

    private async Task<ChapterContinuityChecked> AskAsync(TestBook book, string commitId, int number, Guid? chapterId = null)
    {
        var requestId = Guid.NewGuid();
        await api.Bus.Publish(new CheckChapterContinuity(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.System("generation"), requestId,
            book.OwnerId, book.ProjectId, "main", commitId, chapterId ?? book.Chapters[number - 1], number));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!answers.ContainsKey(requestId))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "Continuity answers a saga request within a bounded time");
            await Task.Delay(50);
        }

        return answers[requestId];
    }
}
