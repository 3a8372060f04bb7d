using System.Net;
using System.Net.Http.Json;
using Folio.Contracts;
using Folio.Contracts.Versioning;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

/// <summary>Stats fed by ChapterRevisionCommitted messages published on the real bus, the way Versioning publishes them.</summary>
[Collection(SharedProjectsApi.Name)]
public sealed class StatsTests(ProjectsApiFactory api)
{
    [Fact]
    public async Task Main_branch_commits_feed_current_counts_history_and_human_streaks()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);
        using var created = await client.PostAsJsonAsync("/api/v1/projects", new { title = "Counted", targetWordCount = 1000 });
        var projectId = (await created.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var opening = await AddChapterAsync(client, projectId, "Opening", 500);
        var middle = await AddChapterAsync(client, projectId, "Middle", null);
        var now = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);

        var human = Commit(projectId, "main", Actor.User(owner), now, new ChapterChange(opening, "added", "c1", 120, 120, 0, 100, 600));
        var agent = Commit(projectId, "main", Actor.Agent("writer", "offline"), now, new ChapterChange(middle, "added", "c2", 80, 80, 0, 100, 400));
        var humanEdit = Commit(projectId, "main", Actor.User(owner), now.AddSeconds(1), new ChapterChange(opening, "modified", "c3", 110, 5, 15, 10, 550));
        var experiment = Commit(projectId, "experiment", Actor.User(owner), now, new ChapterChange(opening, "modified", "c4", 9999, 9879, 0, 100, 50000));
        await api.DeliverAsync(humanEdit, experiment, agent, human);

        using var response = await client.GetAsync($"/api/v1/projects/{projectId}/stats");
        var stats = await response.ShouldBeJsonAsync(HttpStatusCode.OK);

        stats.GetProperty("project").GetProperty("targetWords").GetInt32().Should().Be(1000);
        var current = stats.GetProperty("current");
        current.GetProperty("words").GetInt32().Should().Be(190, "110 + 80 on main: the later commit wins whatever the delivery order, and the experiment branch does not count");
        current.GetProperty("characters").GetInt32().Should().Be(950);
        current.GetProperty("chapters").GetInt32().Should().Be(2);
        current.GetProperty("progressPercent").GetDouble().Should().Be(19.0);

        var breakdown = stats.GetProperty("breakdown").GetProperty("chapters").EnumerateArray().ToList();
        breakdown.Select(chapter => (chapter.GetProperty("id").GetGuid(), chapter.GetProperty("words").GetInt32())).Should().Equal((opening, 110), (middle, 80));
        breakdown[0].GetProperty("targetLength").GetInt32().Should().Be(500);

        var day = stats.GetProperty("history").EnumerateArray().Should().ContainSingle().Subject;
        day.GetProperty("date").GetString().Should().Be(DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        day.GetProperty("wordsAdded").GetInt32().Should().Be(205, "the experiment branch does not count");
        day.GetProperty("wordsRemoved").GetInt32().Should().Be(15);
        day.GetProperty("netWords").GetInt32().Should().Be(190);
        day.GetProperty("humanWords").GetInt32().Should().Be(125);

        var streaks = stats.GetProperty("streaks");
        streaks.GetProperty("current").GetInt32().Should().Be(1);
        streaks.GetProperty("totalWritingDays").GetInt32().Should().Be(1);
        streaks.GetProperty("timeZone").GetString().Should().Be("UTC");
    }

    [Fact]
    public async Task Days_are_the_owners_calendar_days_and_agent_only_days_do_not_make_a_streak()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);
        using var settings = await client.SendWithIfMatchAsync(HttpMethod.Put, "/api/v1/settings",
            new { defaultProvider = "offline", autosaveIntervalSeconds = 30, defaultExportFormat = "md", timeZone = "Pacific/Kiritimati" }, "\"1\"");
        settings.StatusCode.Should().Be(HttpStatusCode.OK);
        var projectId = await client.CreateProjectAsync();
        var chapter = Guid.NewGuid();

        // 11:00 UTC on 1 January is already 2 January in Kiritimati (UTC+14).
        var instant = new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero);
        var byHuman = Commit(projectId, "main", Actor.User(owner), instant, new ChapterChange(chapter, "added", "a", 10, 10, 0, 100, 50));
        var byAgent = Commit(projectId, "main", Actor.Agent("writer"), instant.AddDays(1), new ChapterChange(chapter, "modified", "b", 30, 20, 0, 60, 150));
        await api.DeliverAsync(byHuman, byAgent);

        using var response = await client.GetAsync($"/api/v1/projects/{projectId}/stats");
        var stats = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        stats.GetProperty("history").EnumerateArray().Select(day => (day.GetProperty("date").GetString(), day.GetProperty("humanWords").GetInt32()))
            .Should().Equal(("2026-01-02", 10), ("2026-01-03", 0));
        var streaks = stats.GetProperty("streaks");
        streaks.GetProperty("longest").GetInt32().Should().Be(1, "the agent's day is not a writing day");
        streaks.GetProperty("lastWritingDate").GetString().Should().Be("2026-01-02");
        streaks.GetProperty("current").GetInt32().Should().Be(0, "that was long ago");
        streaks.GetProperty("timeZone").GetString().Should().Be("Pacific/Kiritimati");
    }

    [Fact]
    public async Task Another_users_stats_are_404()
    {
        using var owner = api.ClientFor(Guid.NewGuid());
        var projectId = await owner.CreateProjectAsync();
        using var intruder = api.ClientFor(Guid.NewGuid());

        using var response = await intruder.GetAsync($"/api/v1/projects/{projectId}/stats");

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Stats_of_a_missing_project_are_404()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        using var response = await client.GetAsync($"/api/v1/projects/{Guid.NewGuid()}/stats");
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    private static ChapterRevisionCommitted Commit(Guid projectId, string branch, Actor actor, DateTimeOffset at, params ChapterChange[] changes) =>
        new(Guid.NewGuid(), Guid.NewGuid(), at, actor, projectId, branch, Guid.NewGuid().ToString("N"), "commit", changes);

    private static async Task<Guid> AddChapterAsync(HttpClient client, Guid projectId, string title, int? targetLength)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/chapters", new { title, targetLength });
        return (await response.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}
