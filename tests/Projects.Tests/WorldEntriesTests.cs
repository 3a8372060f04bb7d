using System.Net;
using System.Net.Http.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class WorldEntriesTests(ProjectsApiFactory api)
{
    [Fact]
    public async Task Books_inherit_series_world_entries_and_an_override_replaces_one_for_its_book_until_deleted()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Saga");
        var book = await writer.CreateProjectAsync("Frost");
        var other = await writer.CreateProjectAsync("Thaw");
        await writer.AddBookAsync(seriesId, book);
        await writer.AddBookAsync(seriesId, other);
        var city = await writer.CreateAsync($"/api/v1/series/{seriesId}/world", new
        {
            kind = "place",
            name = "Karsk",
            description = "A port city.",
            facts = new object[] { new { key = "ruler", value = "the Duke", untilChapter = 9 }, new { key = "ruler", value = "the Council", fromChapter = 10 } },
        });
        var cityId = city.GetProperty("id").GetGuid();
        await writer.CreateAsync($"/api/v1/projects/{book}/world", new { kind = "organisation", name = "The Guild" });

        var bible = (await writer.GetAsync($"/api/v1/projects/{book}/world")).GetProperty("items").EnumerateArray().ToList();
        bible.Select(entry => (entry.GetProperty("name").GetString(), entry.GetProperty("source").GetString(), entry.GetProperty("kind").GetString()))
            .Should().BeEquivalentTo([("Karsk", "series", "place"), ("The Guild", "book", "organisation")]);

        var ruined = await writer.CreateAsync($"/api/v1/projects/{book}/world", new { kind = "place", name = "Karsk", description = "Ruins.", overrides = cityId });
        var ruinedId = ruined.GetProperty("id").GetGuid();
        var overridden = (await writer.GetAsync($"/api/v1/projects/{book}/world")).GetProperty("items").EnumerateArray()
            .Single(entry => entry.GetProperty("name").GetString() == "Karsk");
        overridden.GetProperty("id").GetGuid().Should().Be(ruinedId);
        overridden.GetProperty("overrides").GetGuid().Should().Be(cityId);
        (await writer.GetAsync($"/api/v1/projects/{other}/world")).GetProperty("items").EnumerateArray().Single()
            .GetProperty("description").GetString().Should().Be("A port city.");

        using var stale = await writer.PutAsync($"/api/v1/projects/{book}/world/{ruinedId}", new { kind = "place", name = "Karsk", overrides = cityId }, ifMatch: 7);
        await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        using var removed = await writer.Client.DeleteAsync($"/api/v1/projects/{book}/world/{ruinedId}");
        removed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var restored = (await writer.GetAsync($"/api/v1/projects/{book}/world")).GetProperty("items").EnumerateArray()
            .Single(entry => entry.GetProperty("name").GetString() == "Karsk");
        restored.GetProperty("id").GetGuid().Should().Be(cityId);
        restored.GetProperty("source").GetString().Should().Be("series");

        var events = await api.OutboxAsync(book, ".WorldEntryUpdated");
        events.Select(e => e.Body.GetProperty("change").GetString()).Should().Equal("created", "created", "created", "deleted", "restored");
        (await api.OutboxAsync(other, ".WorldEntryUpdated")).Should().ContainSingle("only the series entry reaches the other book");
        (await api.AuditRowsAsync(ruinedId.ToString())).Select(row => row.Action).Distinct().Should().BeEquivalentTo("created", "deleted");
    }

    [Fact]
    public async Task Bad_world_entries_are_400_and_another_users_book_is_404()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var book = await writer.CreateProjectAsync("Frost");
        using var badKind = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/world", new { kind = "planet", name = "Mars" });
        await badKind.ShouldBeValidationProblemAsync("Kind");
        using var overlap = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/world", new
        {
            kind = "place",
            name = "Karsk",
            facts = new object[] { new { key = "ruler", value = "a" }, new { key = "ruler", value = "b", fromChapter = 3 } },
        });
        await overlap.ShouldBeValidationProblemAsync("facts[1]");
        var entry = (await writer.CreateAsync($"/api/v1/projects/{book}/world", new { kind = "concept", name = "The Tide" })).GetProperty("id").GetGuid();

        using var intruder = new BibleApi(api, Guid.NewGuid());
        using var list = await intruder.Client.GetAsync($"/api/v1/projects/{book}/world");
        await list.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var read = await intruder.Client.GetAsync($"/api/v1/projects/{book}/world/{entry}");
        await read.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var delete = await intruder.Client.DeleteAsync($"/api/v1/projects/{book}/world/{entry}");
        await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await writer.GetAsync($"/api/v1/projects/{book}/world")).GetProperty("items").GetArrayLength().Should().Be(1);
    }
}
