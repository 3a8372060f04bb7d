using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Folio.Contracts;
using Folio.Contracts.Generation;
using Folio.Generation.Api.Features.Agents;
using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Core.Agents;
using Folio.Tests.Models;
using Folio.Generation.Tests.Settings;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.Generation.Tests.Reviews;

/// <summary>
/// The continuity reviewer: the agent itself against the fake OpenAI-compatible server, and the real Generation consumer answering
/// Continuity's <see cref="ReviewChapterContinuity"/> request over the test RabbitMQ.
/// </summary>
[Collection(SharedGenerationApi.Name)]
public sealed class ContinuityReviewerTests(GenerationApiFactory factory) : IAsyncLifetime
{
    private const string Chapter = "# The Ship\n\nEllen climbed the stair.\n\nEllen's blue eyes searched the dark water.";

    private const string Finding = """
        {"findings": [{"kind": "Character", "severity": "error", "line": 5, "quote": "Ellen's blue eyes",
          "description": "Ellen's eyes are grey in the bible, blue here.", "suggestion": "Make them grey.",
          "evidence": [{"chapter": null, "line": null, "text": "Ellen Marsh: eye_colour = grey"}]}]}
        """;

    private FakeModelServer server = null!;

    private StoryAgents Agents => factory.Services.GetRequiredService<StoryAgents>();

    public async Task InitializeAsync() => server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private AgentCall OpenAi(Guid owner, Guid project) =>
        new(owner, project, null, new ModelSettings("openai-compatible", "gpt-test", 0.2, 2000, new Uri(server.BaseUrl, "v1"), "test-key"));

    private static ReviewRequest Review(int chapter = 2) => new(chapter, Chapter,
        [new StoryCharacter("Ellen Marsh", ["Ellen"], null, null, new Dictionary<string, string> { ["eye_colour"] = "grey" })],
        [new EarlierPassage(1, 3, "Ellen lit the lamp at dusk.")]);

    [Fact]
    public async Task The_reviewer_sends_the_numbered_chapter_with_its_facts_and_reads_a_finding_with_evidence()
    {
        var (owner, project) = (Guid.NewGuid(), Guid.NewGuid());
        server.Then(new ScriptedAnswer(200, FakeModelServer.OpenAiAnswer($"```json\n{Finding}\n```")));

        var review = await Agents.ReviewAsync(OpenAi(owner, project), Review(), CancellationToken.None);

        var finding = review.Findings.Should().ContainSingle().Subject;
        finding.Should().BeEquivalentTo(new { Rule = "llm.character", Severity = "error", Line = 5, Quote = "Ellen's blue eyes", Suggestion = "Make them grey." });
        finding.Evidence.Should().Equal(new ReviewedEvidence("Ellen Marsh: eye_colour = grey"));
        var sent = server.Requests.Single().Body.GetProperty("messages");
        sent[0].GetProperty("content").ToString().Should().Contain("continuity reviewer").And.Contain("findings");
        sent[1].GetProperty("content").ToString().Should().Contain("Ellen Marsh (also Ellen): character; eye_colour = grey")
            .And.Contain("chapter 1, line 3: Ellen lit the lamp at dusk.").And.Contain("5: Ellen's blue eyes searched the dark water.").And.NotContain("{{");
        (await RunsAsync(project)).Should().Equal(("reviewer", "openai-compatible", "succeeded", (string?)null));
    }

    [Theory]
    [InlineData("I found no problems worth mentioning in this chapter; it reads well and keeps to the facts.")]
    [InlineData("""{"findings": [{"kind": "character", "severity": "catastrophic", "line": 5, "quote": "blue eyes", "description": "d", "suggestion": "s", "evidence": []}]}""")]
    [InlineData("""{"findings": [{"kind": "character", "severity": "error", "line": 5, "description": "no quote", "suggestion": "s", "evidence": []}]}""")]
    [InlineData("""{"findings": [{"kind": "not a kind!", "severity": "error", "quote": "blue eyes", "description": "d", "evidence": []}]}""")]
    public async Task An_answer_that_is_not_the_json_asked_for_fails_the_review_and_the_failure_is_recorded(string answer)
    {
        var (owner, project) = (Guid.NewGuid(), Guid.NewGuid());
        server.Then(new ScriptedAnswer(200, FakeModelServer.OpenAiAnswer(answer)));

        var review = () => Agents.ReviewAsync(OpenAi(owner, project), Review(), CancellationToken.None);

        (await review.Should().ThrowAsync<ProviderException>()).Which.Failure.Should().Be(ProviderFailure.MalformedAnswer);
        var run = (await RunsAsync(project)).Should().ContainSingle().Subject;
        (run.Agent, run.Status).Should().Be(("reviewer", "failed"));
        run.Error.Should().Contain("not the JSON asked for");
    }

    [Fact]
    public async Task Over_rabbitmq_the_offline_provider_contributes_nothing_and_says_so_without_an_agent_run()
    {
        var (owner, project) = (Guid.NewGuid(), Guid.NewGuid());

        var answer = await AskAsync(owner, project);

        answer.Status.Should().Be("skipped: offline provider");
        answer.Provider.Should().Be("offline");
        answer.Findings.Should().BeEmpty();
        (await RunsAsync(project)).Should().BeEmpty();
    }

    [Fact]
    public async Task Over_rabbitmq_the_owners_configured_provider_reviews_and_the_answer_carries_its_findings()
    {
        var (owner, project) = (Guid.NewGuid(), Guid.NewGuid());
        await UseFakeServerAsync(owner);
        server.Then(new ScriptedAnswer(200, FakeModelServer.OpenAiAnswer(Finding)));

        var answer = await AskAsync(owner, project);

        answer.Status.Should().Be("completed");
        (answer.Provider, answer.Model).Should().Be(("openai-compatible", "gpt-test"));
        answer.Findings.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Rule = "llm.character", Severity = "error", Line = 5, Quote = "Ellen's blue eyes",
            Evidence = new[] { new ReviewEvidence(null, null, "Ellen Marsh: eye_colour = grey") },
        });
        server.Requests.Single().Body.GetProperty("messages")[0].GetProperty("content").ToString().Should().Contain("continuity reviewer");
        (await RunsAsync(project)).Should().Equal(("reviewer", "openai-compatible", "succeeded", (string?)null));
    }

    [Fact]
    public async Task Over_rabbitmq_malformed_model_json_is_answered_as_a_visible_failure_not_a_fault()
    {
        var (owner, project) = (Guid.NewGuid(), Guid.NewGuid());
        await UseFakeServerAsync(owner);
        server.Then(new ScriptedAnswer(200, FakeModelServer.OpenAiAnswer("{\"findings\": [ {\"kind\": ")));

        var answer = await AskAsync(owner, project);

        answer.Status.Should().StartWith("failed: ").And.Contain("not the JSON asked for");
        answer.Findings.Should().BeEmpty();
        (await RunsAsync(project)).Select(run => run.Status).Should().Equal("failed");
    }

    private async Task UseFakeServerAsync(Guid owner)
    {
        using var client = factory.ClientFor(owner);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/generation/settings")
        {
            Content = JsonContent.Create(new { provider = "openai-compatible", model = "gpt-test", baseUrl = new Uri(server.BaseUrl, "v1").ToString(), apiKey = "test-key" }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<ChapterContinuityReviewed> AskAsync(Guid owner, Guid project)
    {
        var client = factory.Services.GetRequiredService<IBus>().CreateRequestClient<ReviewChapterContinuity>(RequestTimeout.After(s: 30));
        var response = await client.GetResponse<ChapterContinuityReviewed>(new ReviewChapterContinuity(
            Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.System("continuity"), owner, project, Guid.NewGuid(), 2, "c0ffee", Chapter,
            [new ReviewCharacter("Ellen Marsh", ["Ellen"], new Dictionary<string, string> { ["eye_colour"] = "grey" })], [new ReviewPassage(1, 3, "Ellen lit the lamp at dusk.")]));
        response.Message.ProjectId.Should().Be(project);
        return response.Message;
    }

    private async Task<List<(string Agent, string Provider, string Status, string? Error)>> RunsAsync(Guid project)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        return (await connection.QueryAsync<(string, string, string, string?)>(
            "SELECT agent, provider, status, error FROM agent_runs WHERE project_id = @project ORDER BY started_at, id", new { project })).ToList();
    }
}
