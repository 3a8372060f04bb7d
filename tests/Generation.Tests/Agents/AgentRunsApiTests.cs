using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.Generation.Api.Features.Agents;
using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Core.Agents;
using Folio.Generation.Tests.Settings;
using Folio.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Folio.Generation.Tests.Agents;

[Collection(SharedGenerationApi.Name)]
public sealed class AgentRunsApiTests(GenerationApiFactory factory)
{
    private static readonly StoryContext Story = new("A Book", null, null, null, "en", [new StoryCharacter("Anna", [], null, null, new Dictionary<string, string>())], [new StoryPlace("The marsh", null)]);

    private async Task<Guid> BookOfAsync(Guid owner)
    {
        var projectId = Guid.NewGuid();
        await factory.Services.GetRequiredService<IBus>().Publish(new ProjectCreated(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(owner), projectId, owner, "A Book", "en"));
        using var client = factory.ClientFor(owner);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await client.GetAsync(new Uri($"/api/v1/projects/{projectId}/agent-runs", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "Generation should learn the book from ProjectCreated");
            await Task.Delay(100);
        }

        return projectId;
    }

    [Fact]
    public async Task A_books_agent_runs_list_with_totals_for_its_owner_only_and_go_with_the_book()
    {
        var owner = Guid.NewGuid();
        var projectId = await BookOfAsync(owner);
        var call = new AgentCall(owner, projectId, Guid.NewGuid(), new ModelSettings("offline", "", 0.7, 4000, null, null));
        var agents = factory.Services.GetRequiredService<StoryAgents>();
        var brief = await agents.BriefAsync(call, new BriefRequest(Story, 1, "One", ["Anna wakes"], [], 400, 3), CancellationToken.None);
        await agents.WriteAsync(call, new ChapterRequest(Story, brief, null, null, 3), CancellationToken.None);

        using var owners = factory.ClientFor(owner);
        var page = await owners.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/agent-runs?chapter=1");
        page.GetProperty("items").EnumerateArray().Select(run => run.GetProperty("agent").GetString()).Should().Equal("architect", "writer");
        page.GetProperty("items")[0].GetProperty("parameters").GetProperty("temperature").GetDouble().Should().Be(0.7);
        page.GetProperty("costEstimate").GetDecimal().Should().Be(0m);

        using (var bad = await owners.GetAsync(new Uri($"/api/v1/projects/{projectId}/agent-runs?limit=0", UriKind.Relative)))
        {
            await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        using var stranger = factory.ClientFor(Guid.NewGuid());
        using (var theirs = await stranger.GetAsync(new Uri($"/api/v1/projects/{projectId}/agent-runs", UriKind.Relative)))
        {
            await theirs.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        await factory.Services.GetRequiredService<IBus>().Publish(new ProjectDeleted(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(owner), projectId, owner));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await owners.GetAsync(new Uri($"/api/v1/projects/{projectId}/agent-runs", UriKind.Relative))).StatusCode != HttpStatusCode.NotFound)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "a deleted book's runs go with it");
            await Task.Delay(100);
        }
    }
}
