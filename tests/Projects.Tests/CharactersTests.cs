using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class CharactersTests(ProjectsApiFactory api)
{
    private static object Mara(params object[] facts) => new
    {
        name = "Mara Voss",
        aliases = new[] { "The Grey Lady" },
        description = "A cartographer.",
        role = "protagonist",
        arc = "From exile to queen.",
        traits = new[] { "stubborn" },
        facts,
    };

    [Fact]
    public async Task Book_character_crud_with_etag_and_facts_at_a_chapter()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var book = await writer.CreateProjectAsync("Frost");
        var created = await writer.CreateAsync($"/api/v1/projects/{book}/characters", Mara(
            new { key = "status", value = "alive", untilChapter = 11 },
            new { key = "status", value = "dead", fromChapter = 12 },
            new { key = "eye_colour", value = "grey" }));
        var id = created.GetProperty("id").GetGuid();
        created.GetProperty("source").GetString().Should().Be("book");
        created.GetProperty("aliases")[0].GetString().Should().Be("The Grey Lady");

        var atTwelve = await writer.GetAsync($"/api/v1/projects/{book}/characters/{id}/facts?atChapter=12");
        atTwelve.GetProperty("facts").EnumerateArray().Select(fact => $"{fact.GetProperty("key").GetString()}={fact.GetProperty("value").GetString()}")
            .Should().BeEquivalentTo("status=dead", "eye_colour=grey");
        var atOne = await writer.GetAsync($"/api/v1/projects/{book}/characters/{id}/facts?atChapter=1");
        atOne.GetProperty("facts").EnumerateArray().Should().Contain(fact => fact.GetProperty("value").GetString() == "alive");

        using var updated = await writer.PutAsync($"/api/v1/projects/{book}/characters/{id}", new { name = "Mara Voss", role = "antagonist" }, ifMatch: 1);
        (await updated.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("role").GetString().Should().Be("antagonist");
        using var stale = await writer.PutAsync($"/api/v1/projects/{book}/characters/{id}", new { name = "Mara", role = "minor" }, ifMatch: 1);
        await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        using var blind = await writer.PutAsync($"/api/v1/projects/{book}/characters/{id}", new { name = "Mara", role = "minor" }, ifMatch: null);
        await blind.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);

        using var deleted = await writer.Client.DeleteAsync($"/api/v1/projects/{book}/characters/{id}");
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var gone = await writer.Client.GetAsync($"/api/v1/projects/{book}/characters/{id}");
        await gone.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var audit = await api.AuditRowsAsync(id.ToString());
        audit.Select(row => row.Action).Distinct().Should().BeEquivalentTo("created", "updated", "deleted");
        audit.Should().Contain(row => row.Action == "updated" && row.Field == "role" && row.NewValue == "\"antagonist\"");
        var events = await api.OutboxAsync(book, ".CharacterUpdated");
        events.Select(e => e.Body.GetProperty("change").GetString()).Should().Equal("created", "updated");
        events[0].Body.GetProperty("facts").GetArrayLength().Should().Be(3);
        (await api.OutboxAsync(book, ".CharacterDeleted")).Should().ContainSingle();
    }

    [Fact]
    public async Task Overlapping_fact_ranges_and_bad_fields_are_400_with_field_errors_and_nothing_is_written()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var book = await writer.CreateProjectAsync("Frost");

        using var overlap = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/characters", Mara(
            new { key = "hair", value = "red", fromChapter = 1, untilChapter = 10 },
            new { key = "hair", value = "grey", fromChapter = 10 }));
        await overlap.ShouldBeValidationProblemAsync("facts[1]");
        using var badKey = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/characters", Mara(new { key = "Eye Colour", value = "grey" }));
        await badKey.ShouldBeValidationProblemAsync("facts[0].key");
        using var backwards = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/characters", Mara(new { key = "hair", value = "red", fromChapter = 5, untilChapter = 2 }));
        await backwards.ShouldBeValidationProblemAsync("facts[0].untilChapter");
        using var badRole = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/characters", new { name = "X", role = "hero" });
        await badRole.ShouldBeValidationProblemAsync("Role");
        using var noName = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/characters", new { name = "" });
        await noName.ShouldBeValidationProblemAsync("Name");
        using var badChapter = await writer.Client.GetAsync($"/api/v1/projects/{book}/characters/{Guid.NewGuid()}/facts?atChapter=0");
        await badChapter.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        (await writer.GetAsync($"/api/v1/projects/{book}/characters")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Names_are_unique_ignoring_case_in_a_books_effective_bible()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Saga");
        var book = await writer.CreateProjectAsync("Frost");
        await writer.AddBookAsync(seriesId, book);
        await writer.CreateAsync($"/api/v1/series/{seriesId}/characters", new { name = "Mara Voss" });
        await writer.CreateAsync($"/api/v1/projects/{book}/characters", new { name = "Tomas" });

        using var clashWithSeries = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/characters", new { name = "MARA VOSS" });
        await clashWithSeries.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        using var clashInBook = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/characters", new { name = "tomas" });
        await clashInBook.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        using var seriesClashWithBook = await writer.Client.PostAsJsonAsync($"/api/v1/series/{seriesId}/characters", new { name = "Tomas" });
        await seriesClashWithBook.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_in_a_book_and_its_series_leave_exactly_one()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Saga");
        var book = await writer.CreateProjectAsync("Frost");
        await writer.AddBookAsync(seriesId, book);

        var attempts = Enumerable.Range(0, 10).Select(i => writer.Client.PostAsJsonAsync(
            i % 2 == 0 ? $"/api/v1/projects/{book}/characters" : $"/api/v1/series/{seriesId}/characters", new { name = i % 3 == 0 ? "MARA" : "mara" }));
        var responses = await Task.WhenAll(attempts);

        responses.Count(response => response.StatusCode == HttpStatusCode.Created).Should().Be(1);
        responses.Count(response => response.StatusCode == HttpStatusCode.Conflict).Should().Be(9);
        foreach (var response in responses)
        {
            response.Dispose();
        }

        (await writer.GetAsync($"/api/v1/projects/{book}/characters")).GetProperty("items").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Books_inherit_series_characters_an_override_wins_for_its_book_only_and_deleting_it_restores_the_inherited_one()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Saga");
        var first = await writer.CreateProjectAsync("Frost");
        var second = await writer.CreateProjectAsync("Thaw");
        await writer.AddBookAsync(seriesId, first);
        await writer.AddBookAsync(seriesId, second);
        var inherited = await writer.CreateAsync($"/api/v1/series/{seriesId}/characters", Mara(new { key = "status", value = "alive" }));
        var inheritedId = inherited.GetProperty("id").GetGuid();
        await writer.CreateAsync($"/api/v1/projects/{first}/characters", new { name = "Tomas", role = "supporting" });

        var firstBible = (await writer.GetAsync($"/api/v1/projects/{first}/characters")).GetProperty("items").EnumerateArray().ToList();
        firstBible.Select(entry => (entry.GetProperty("name").GetString(), entry.GetProperty("source").GetString()))
            .Should().BeEquivalentTo([("Mara Voss", "series"), ("Tomas", "book")]);

        var overrideEntry = await writer.CreateAsync($"/api/v1/projects/{second}/characters", new
        {
            name = "Mara Voss",
            role = "antagonist",
            overrides = inheritedId,
            facts = new object[] { new { key = "status", value = "alive", untilChapter = 3 }, new { key = "status", value = "dead", fromChapter = 4 } },
        });
        var overrideId = overrideEntry.GetProperty("id").GetGuid();

        var secondBible = (await writer.GetAsync($"/api/v1/projects/{second}/characters")).GetProperty("items").EnumerateArray().ToList();
        var mara = secondBible.Should().ContainSingle().Subject;
        mara.GetProperty("id").GetGuid().Should().Be(overrideId);
        mara.GetProperty("source").GetString().Should().Be("book");
        mara.GetProperty("overrides").GetGuid().Should().Be(inheritedId);
        var factsByInheritedId = await writer.GetAsync($"/api/v1/projects/{second}/characters/{inheritedId}/facts?atChapter=5");
        factsByInheritedId.GetProperty("facts").EnumerateArray().Single().GetProperty("value").GetString().Should().Be("dead", "the override's facts apply in this book");

        var stillInherited = (await writer.GetAsync($"/api/v1/projects/{first}/characters")).GetProperty("items").EnumerateArray()
            .Single(entry => entry.GetProperty("name").GetString() == "Mara Voss");
        stillInherited.GetProperty("id").GetGuid().Should().Be(inheritedId, "the override wins only in its own book");
        stillInherited.GetProperty("role").GetString().Should().Be("protagonist");

        using var secondOverride = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{second}/characters", new { name = "Other Mara", overrides = inheritedId });
        await secondOverride.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        using var removed = await writer.Client.DeleteAsync($"/api/v1/projects/{second}/characters/{overrideId}");
        removed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var restored = (await writer.GetAsync($"/api/v1/projects/{second}/characters")).GetProperty("items").EnumerateArray().Single();
        restored.GetProperty("id").GetGuid().Should().Be(inheritedId);
        restored.GetProperty("source").GetString().Should().Be("series");
        (await api.OutboxAsync(second, ".CharacterUpdated")).Select(e => e.Body.GetProperty("change").GetString()).Should().EndWith("restored");
    }

    [Fact]
    public async Task Series_character_changes_are_audited_on_the_series_and_announced_to_every_book()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Saga");
        var first = await writer.CreateProjectAsync("Frost");
        var second = await writer.CreateProjectAsync("Thaw");
        await writer.AddBookAsync(seriesId, first);
        await writer.AddBookAsync(seriesId, second);

        var created = await writer.CreateAsync($"/api/v1/series/{seriesId}/characters", Mara());
        var id = created.GetProperty("id").GetGuid();
        using var updated = await writer.PutAsync($"/api/v1/series/{seriesId}/characters/{id}", new { name = "Mara Voss", role = "mentor" }, ifMatch: 1);
        updated.StatusCode.Should().Be(HttpStatusCode.OK);

        foreach (var book in new[] { first, second })
        {
            var events = await api.OutboxAsync(book, ".CharacterUpdated");
            events.Select(e => (e.Body.GetProperty("change").GetString(), e.Body.GetProperty("source").GetString()))
                .Should().Equal(("created", "series"), ("updated", "series"));
        }

        var audit = (await writer.GetAsync($"/api/v1/series/{seriesId}/audit?resourceType=character")).GetProperty("items").EnumerateArray().ToList();
        audit.Should().Contain(entry => entry.GetProperty("field").GetString() == "role" && entry.GetProperty("newValue").GetString() == "mentor");
        audit.Should().OnlyContain(entry => entry.GetProperty("resourceId").GetString() == id.ToString());
    }

    [Fact]
    public async Task A_book_joining_or_leaving_a_series_is_told_about_every_inherited_entry_it_gains_or_loses()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Saga");
        var mara = (await writer.CreateAsync($"/api/v1/series/{seriesId}/characters", new { name = "Mara" })).GetProperty("id").GetGuid();
        var karsk = (await writer.CreateAsync($"/api/v1/series/{seriesId}/world", new { kind = "place", name = "Karsk" })).GetProperty("id").GetGuid();
        var book = await writer.CreateProjectAsync("Frost");

        await writer.AddBookAsync(seriesId, book);
        var joined = (await api.OutboxAsync(book, ".CharacterUpdated")).Should().ContainSingle().Subject.Body;
        joined.GetProperty("characterId").GetGuid().Should().Be(mara);
        joined.GetProperty("change").GetString().Should().Be("inherited");
        (await api.OutboxAsync(book, ".WorldEntryUpdated")).Should().ContainSingle()
            .Which.Body.GetProperty("entryId").GetGuid().Should().Be(karsk);
        (await writer.GetAsync($"/api/v1/projects/{book}/characters")).GetProperty("items").GetArrayLength().Should().Be(1);

        using var left = await writer.Client.DeleteAsync($"/api/v1/series/{seriesId}/books/{book}");
        left.StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.OutboxAsync(book, ".CharacterDeleted")).Should().ContainSingle().Which.Body.GetProperty("characterId").GetGuid().Should().Be(mara);
        (await api.OutboxAsync(book, ".WorldEntryUpdated")).Select(e => e.Body.GetProperty("change").GetString()).Should().Equal("inherited", "deleted");
        (await api.OutboxAsync(book, ".SeriesUpdated")).Select(e => e.Body.GetProperty("books").GetArrayLength()).Should().Equal(1, 0);
        (await writer.GetAsync($"/api/v1/projects/{book}/characters")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Another_users_project_or_series_characters_are_404()
    {
        using var owner = new BibleApi(api, Guid.NewGuid());
        var book = await owner.CreateProjectAsync("Private");
        var seriesId = await owner.CreateSeriesAsync("Private saga");
        var character = (await owner.CreateAsync($"/api/v1/projects/{book}/characters", Mara())).GetProperty("id").GetGuid();
        var seriesCharacter = (await owner.CreateAsync($"/api/v1/series/{seriesId}/characters", new { name = "Tomas" })).GetProperty("id").GetGuid();

        using var intruder = new BibleApi(api, Guid.NewGuid());
        var paths = new[]
        {
            $"/api/v1/projects/{book}/characters",
            $"/api/v1/projects/{book}/characters/{character}",
            $"/api/v1/projects/{book}/characters/{character}/facts?atChapter=1",
            $"/api/v1/series/{seriesId}/characters/{seriesCharacter}",
        };
        foreach (var path in paths)
        {
            using var read = await intruder.Client.GetAsync(path);
            (await read.ShouldBeProblemAsync(HttpStatusCode.NotFound)).GetRawText().Should().NotContain("Mara");
        }

        using var write = await intruder.PutAsync($"/api/v1/projects/{book}/characters/{character}", new { name = "Stolen" }, ifMatch: 1);
        await write.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var create = await intruder.Client.PostAsJsonAsync($"/api/v1/series/{seriesId}/characters", new { name = "Planted" });
        await create.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var delete = await intruder.Client.DeleteAsync($"/api/v1/series/{seriesId}/characters/{seriesCharacter}");
        await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var intrudersBook = await intruder.CreateProjectAsync("Mine");
        using var foreignOverride = await intruder.Client.PostAsJsonAsync($"/api/v1/projects/{intrudersBook}/characters", new { name = "Tomas", overrides = seriesCharacter });
        await foreignOverride.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }
}
