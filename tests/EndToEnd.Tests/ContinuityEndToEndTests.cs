using System.Net;
using System.Text.Json;

namespace Folio.EndToEnd.Tests;

/// <summary>
/// Continuity across the real services: it learns the book and its bible from Projects' events, a commit in Versioning
/// triggers a check that reads the chapter over gRPC as the owner, and a writer's check through the gateway reports a
/// planted contradiction with its evidence.
/// </summary>
[Collection(RunningFolioDefinition.Name)]
public sealed class ContinuityEndToEndTests(RunningFolio stack)
{
    private static readonly TimeSpan EventTravel = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_committed_chapter_is_checked_against_the_bible_and_the_contradiction_cites_its_evidence()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterId) = await CommittedChapterAsync(writer, "The gale rose.\n\nEllen's blue eyes searched the dark water.");

        var automatic = await EventuallyAsync(writer, $"/api/v1/projects/{projectId}/continuity/chapters/{chapterId}/checks",
            checks => checks.GetArrayLength() > 0 && checks[0].GetProperty("trigger").GetString() == "revision");
        automatic[0].GetProperty("commit").GetString().Should().HaveLength(64);

        var check = await writer.PostJsonAsync($"/api/v1/projects/{projectId}/continuity/chapters/{chapterId}/checks", new { @ref = "main" }, HttpStatusCode.Created);
        check.GetProperty("status").GetString().Should().Be("error");
        var violation = check.GetProperty("violations").EnumerateArray().Should().ContainSingle().Subject;
        violation.GetProperty("rule").GetString().Should().Be("character.fact_contradiction");
        violation.GetProperty("location").GetProperty("line").GetInt32().Should().Be(3);
        violation.GetProperty("evidence")[0].GetProperty("text").GetString().Should().Be("Ellen Marsh: eye_colour = grey (bible)");

        using var stranger = await GatewayClient.RegisterAsync(stack.Gateway);
        (await stranger.SendAsync(HttpMethod.Get, $"/api/v1/projects/{projectId}/continuity/chapters")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task With_llm_checks_on_and_the_offline_writer_generation_answers_skipped_and_the_rule_findings_stand()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterId) = await CommittedChapterAsync(writer, "The gale rose.\n\nEllen's blue eyes searched the dark water.");
        using (var settings = await writer.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/continuity/settings", new
               {
                   pointOfView = "third", tense = "past", bannedPhrases = Array.Empty<string>(), repetitionThreshold = 3, lengthTolerance = 0.5, autoRecheck = false,
                   rules = new Dictionary<string, object>(), llmChecks = true,
               }))
        {
            settings.StatusCode.Should().Be(HttpStatusCode.OK, await settings.Content.ReadAsStringAsync());
        }

        var check = await writer.PostJsonAsync($"/api/v1/projects/{projectId}/continuity/chapters/{chapterId}/checks", new { @ref = "main" }, HttpStatusCode.Created);

        check.GetProperty("checkType").GetString().Should().Be("rules+llm");
        check.GetProperty("llm").GetProperty("status").GetString().Should().Be("skipped: offline provider", "the real Generation service answered Continuity's request");
        check.GetProperty("llm").GetProperty("provider").GetString().Should().Be("offline");
        check.GetProperty("violations").EnumerateArray().Select(violation => violation.GetProperty("rule").GetString()).Should().Equal("character.fact_contradiction");
    }

    [Fact]
    public async Task A_check_holds_the_text_against_the_brief_projects_holds_and_projects_offers_what_it_read_as_suggestions()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var (projectId, chapterId) = await CommittedChapterAsync(writer,
            "The gale rose and Ellen climbed the stair.\n\nBelow, Quint waited. Ellen called down to Quint.",
            beats: ["Ellen lights the great lamp at the top of the tower"]);

        var checks = await EventuallyAsync(writer, $"/api/v1/projects/{projectId}/continuity/chapters/{chapterId}/checks", found => found.GetArrayLength() > 0);
        checks[0].GetProperty("violations").EnumerateArray().Select(violation => violation.GetProperty("rule").GetString()).Should().Contain("brief.beat_missing");

        var suggestions = (await EventuallyAsync(writer, $"/api/v1/projects/{projectId}/suggestions", found => found.GetProperty("items").GetArrayLength() >= 2))
            .GetProperty("items").EnumerateArray().ToList();
        suggestions.Select(suggestion => (suggestion.GetProperty("kind").GetString(), suggestion.GetProperty("subject").GetString()))
            .Should().Contain([("appearance", "Ellen Marsh"), ("unknown_name", "Quint")]);
        var quint = suggestions.Single(suggestion => suggestion.GetProperty("subject").GetString() == "Quint").GetProperty("id").GetString();
        await writer.PostJsonAsync($"/api/v1/projects/{projectId}/suggestions/{quint}/accept", new { @as = "character" }, HttpStatusCode.OK);
        await EventuallyAsync(writer, $"/api/v1/projects/{projectId}/characters",
            characters => characters.GetProperty("items").EnumerateArray().Any(character => character.GetProperty("name").GetString() == "Quint"));
    }

    /// <summary>
    /// A book with Ellen Marsh (grey eyes) and one chapter (with a brief of <paramref name="beats"/>, if given) committed on
    /// main with <paramref name="text"/>, known to Continuity.
    /// </summary>
    private static async Task<(string ProjectId, Guid ChapterId)> CommittedChapterAsync(GatewayClient writer, string text, string[]? beats = null)
    {
        var project = await writer.PostJsonAsync("/api/v1/projects", new { title = "The Lighthouse Keeper", language = "en" }, HttpStatusCode.Created);
        var projectId = project.GetProperty("id").GetString()!;
        await writer.PostJsonAsync($"/api/v1/projects/{projectId}/characters",
            new { name = "Ellen Marsh", aliases = new[] { "Ellen" }, role = "protagonist", facts = new[] { new { key = "eye_colour", value = "grey" } } }, HttpStatusCode.Created);
        var chapterId = Guid.NewGuid();
        await writer.PostJsonAsync($"/api/v1/projects/{projectId}/chapters",
            new { id = chapterId, title = "The Lamp", brief = beats is null ? null : new { beats } }, HttpStatusCode.Created);
        await writer.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/branches", EventTravel);
        await EventuallyAsync(writer, $"/api/v1/projects/{projectId}/continuity/chapters", chapters => chapters.GetArrayLength() == 1);

        using (var save = await writer.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/chapters/{chapterId}/content",
                   new { text, mode = "version", expectedHead = (string?)null }))
        {
            save.StatusCode.Should().Be(HttpStatusCode.Created, await save.Content.ReadAsStringAsync());
        }

        return (projectId, chapterId);
    }

    private static async Task<JsonElement> EventuallyAsync(GatewayClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + EventTravel;
        while (true)
        {
            using var response = await client.SendAsync(HttpMethod.Get, path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                if (done(body))
                {
                    return body;
                }
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"{path} should have what the events carry by now (last: {(int)response.StatusCode})");
            await Task.Delay(200);
        }
    }
}
