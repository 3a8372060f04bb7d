using Dapper;
using Folio.Generation.Api.Features.Agents;
using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Core.Agents;
using Folio.Generation.Tests.Settings;
using Folio.Tests.Models;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.Generation.Tests.Agents;

[Collection(SharedGenerationApi.Name)]
public sealed class StoryAgentsTests(GenerationApiFactory factory) : IAsyncLifetime
{
    private static readonly StoryContext Story = new(
        "The Lighthouse Keeper", "Literary mystery", "Close third person, past tense.", "Ellen keeps the Skerry light alone.", "en",
        [new StoryCharacter("Ellen Marsh", ["the keeper"], "protagonist", "The keeper.", new Dictionary<string, string> { ["eye_colour"] = "grey" })],
        [new StoryPlace("The Skerry light", "A lighthouse on a bare rock.")]);

    private FakeModelServer server = null!;

    private StoryAgents Agents => factory.Services.GetRequiredService<StoryAgents>();

    public async Task InitializeAsync() => server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static AgentCall Offline(Guid owner, Guid project) => new(owner, project, null, new ModelSettings("offline", "", 0.7, 4000, null, null));

    private AgentCall Claude(Guid owner, Guid project) => new(owner, project, Guid.NewGuid(), new ModelSettings("anthropic", "claude-test", 0.7, 4000, server.BaseUrl, "test-key"));

    private async Task<List<(string Agent, string Provider, string Model, string PromptHash, long TokensIn, long TokensOut, decimal Cost, string Status)>> RunsAsync(Guid project)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        return (await connection.QueryAsync<(string, string, string, string, long, long, decimal, string)>(
            "SELECT agent, provider, model, prompt_hash, tokens_in, tokens_out, cost_estimate, status FROM agent_runs WHERE project_id = @project ORDER BY started_at, id",
            new { project })).ToList();
    }

    [Fact]
    public async Task With_the_offline_provider_the_three_agents_brief_write_and_summarise_and_every_run_is_recorded()
    {
        var (owner, project) = (Guid.NewGuid(), Guid.NewGuid());
        var brief = await Agents.BriefAsync(Offline(owner, project), new BriefRequest(Story, 1, "The Lamp", ["Ellen lights the lamp", "A ship anchors"], [], 800, Seed: 7), CancellationToken.None);
        var chapter = await Agents.WriteAsync(Offline(owner, project), new ChapterRequest(Story, brief, null, null, Seed: 7), CancellationToken.None);
        var summary = await Agents.SummarizeAsync(Offline(owner, project), new SummaryRequest(Story, brief, chapter), CancellationToken.None);

        brief.Beats.Should().Equal("Ellen lights the lamp", "A ship anchors");
        chapter.Should().StartWith("# ").And.Contain("Ellen");
        summary.Should().NotBeNullOrWhiteSpace();
        var runs = await RunsAsync(project);
        runs.Select(run => (run.Agent, run.Provider, run.Model, run.Status)).Should().Equal(
            ("architect", "offline", "folio-offline-1", "succeeded"), ("writer", "offline", "folio-offline-1", "succeeded"), ("summarizer", "offline", "folio-offline-1", "succeeded"));
        runs.Should().OnlyContain(run => run.PromptHash.Length == 64 && run.Cost == 0m);
    }

    [Fact]
    public async Task A_real_provider_gets_the_prompt_from_its_file_and_its_json_brief_is_parsed_with_tokens_and_cost_recorded()
    {
        var (owner, project) = (Guid.NewGuid(), Guid.NewGuid());
        const string briefJson = """{"chapterNumber":1,"title":"The Lamp","beats":["Ellen lights the lamp","A ship anchors without a name"],"pointOfView":"Ellen Marsh","setting":"The Skerry light","charactersPresent":["Ellen Marsh"],"goal":"Establish the mystery","targetWords":800}""";
        server.Then(new ScriptedAnswer(200, FakeModelServer.AnthropicAnswer(briefJson)));

        var brief = await Agents.BriefAsync(Claude(owner, project), new BriefRequest(Story, 1, "The Lamp", ["Ellen lights the lamp"], ["Nothing yet."], 800, Seed: 1), CancellationToken.None);

        brief.Beats.Should().Equal("Ellen lights the lamp", "A ship anchors without a name");
        var sent = server.Requests.Single().Body;
        sent.GetProperty("system").GetString().Should().Contain("architect").And.Contain("JSON");
        var ask = sent.GetProperty("messages")[0].GetProperty("content").ToString();
        ask.Should().Contain("eye_colour = grey").And.Contain("Plan chapter 1 (\"The Lamp\")").And.NotContain("{{");
        var run = (await RunsAsync(project)).Single();
        (run.Provider, run.Model, run.TokensIn, run.TokensOut, run.Status).Should().Be(("anthropic", "claude-test", 120, 80, "succeeded"));
        run.Cost.Should().Be((120 * 3m + 80 * 15m) / 1_000_000m);
    }

    [Fact]
    public async Task A_brief_that_is_not_json_or_a_refused_call_fails_and_the_failure_is_recorded()
    {
        var (owner, project) = (Guid.NewGuid(), Guid.NewGuid());
        server.Then(new ScriptedAnswer(200, FakeModelServer.AnthropicAnswer("Here is a lovely plan for the chapter, with twenty and more words of chatter instead of the JSON object that was asked for by the architect prompt.")));
        var prose = () => Agents.BriefAsync(Claude(owner, project), new BriefRequest(Story, 2, null, [], [], 800, Seed: 1), CancellationToken.None);
        (await prose.Should().ThrowAsync<ProviderException>()).Which.Failure.Should().Be(ProviderFailure.MalformedAnswer);

        server.Then(new ScriptedAnswer(401, """{"type":"error","error":{"type":"authentication_error","message":"bad key"}}"""));
        var refused = () => Agents.SummarizeAsync(Claude(owner, project), new SummaryRequest(Story, new ChapterBrief(2, "T", ["b"], "Ellen", "Skerry", ["Ellen"], "g", 800), "# T\n\nText."), CancellationToken.None);
        (await refused.Should().ThrowAsync<ProviderException>()).Which.Failure.Should().Be(ProviderFailure.Unauthorized);

        (await RunsAsync(project)).Select(run => (run.Agent, run.Status)).Should().Equal(("architect", "failed"), ("summarizer", "failed"));
    }

    [Fact]
    public void Every_agent_has_a_prompt_file_and_a_missing_value_is_an_error_not_a_blank()
    {
        var templates = factory.Services.GetRequiredService<PromptTemplates>();
        foreach (var agent in new[] { StoryAgents.Architect, StoryAgents.Writer, StoryAgents.Summarizer, StoryAgents.Reviewer })
        {
            var unfilled = () => templates.Render(agent, new Dictionary<string, string>());
            unfilled.Should().Throw<KeyNotFoundException>().WithMessage($"The {agent} prompt needs a value for *", "each agent's prompt file exists and has slots");
        }

        var render = () => templates.Render("summarizer", new Dictionary<string, string> { ["title"] = "T" });
        render.Should().Throw<KeyNotFoundException>().WithMessage("*chapterNumber*");
        var unknown = () => templates.Render("editor", new Dictionary<string, string>());
        unknown.Should().Throw<KeyNotFoundException>().WithMessage("There is no prompt file*");
    }
}
