using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Folio.Contracts;
using Folio.Contracts.Continuity;
using Folio.Tests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.Projects.Tests;

/// <summary>Continuity's suggestions arrive over the test RabbitMQ; the writer lists, accepts and dismisses them through the API.</summary>
[Collection(SharedProjectsApi.Name)]
public sealed class SuggestionsTests(ProjectsApiFactory api)
{
    [Fact]
    public async Task Accepting_suggestions_records_the_appearance_the_character_the_alias_and_the_timeline_event()
    {
        using var writer = ProjectsClient.For(api);
        var book = await BookAsync(writer);
        await api.DeliverAsync(Extracted(book, book.Chapters[1], 2, DateTimeOffset.UtcNow,
            [new SuggestedAppearance("Ellen Marsh", 4, 1)],
            [new SuggestedName("Quint", 3, 2, "Then Mara Quint came."), new SuggestedName("Mara", 2, 2, "Then Mara Quint came.")],
            [new SuggestedTimelineFact(11, 1, "It was now the middle of November.")]));

        var pending = await PendingAsync(writer, book);
        pending.Select(suggestion => (suggestion.GetProperty("kind").GetString(), suggestion.GetProperty("subject").GetString())).Should().BeEquivalentTo(
            [("appearance", "Ellen Marsh"), ("unknown_name", "Quint"), ("unknown_name", "Mara"), ("timeline_fact", "November")]);
        pending.Should().OnlyContain(suggestion => suggestion.GetProperty("chapterNumber").GetInt32() == 2 && suggestion.GetProperty("status").GetString() == "pending");

        var appearance = await writer.PostAsync(Accept(book, Id(pending, "Ellen Marsh")), new { }, HttpStatusCode.OK);
        appearance.GetProperty("status").GetString().Should().Be("accepted");
        var recorded = (await writer.GetAsync($"{book.Path}/appearances?chapter=2")).GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        recorded.GetProperty("id").GetGuid().Should().Be(appearance.GetProperty("resultId").GetGuid());
        recorded.GetProperty("characterId").GetGuid().Should().Be(book.Ellen);
        recorded.GetProperty("status").GetString().Should().Be("accepted");

        var character = await writer.PostAsync(Accept(book, Id(pending, "Quint")), new { @as = "character" }, HttpStatusCode.OK);
        var quint = await writer.GetAsync($"{book.Path}/characters/{character.GetProperty("resultId").GetGuid()}");
        quint.GetProperty("name").GetString().Should().Be("Quint");
        quint.GetProperty("description").GetString().Should().Contain("chapter 2").And.Contain("Then Mara Quint came.");

        await writer.PostAsync(Accept(book, Id(pending, "Mara")), new { @as = "alias", characterId = book.Tom }, HttpStatusCode.OK);
        (await writer.GetAsync($"{book.Path}/characters/{book.Tom}")).GetProperty("aliases").EnumerateArray().Select(alias => alias.GetString())
            .Should().Equal("Tom", "Mara");

        var dated = await writer.PostAsync(Accept(book, Id(pending, "November")), new { }, HttpStatusCode.OK);
        var timelineEvent = (await writer.GetAsync($"{book.Path}/timeline")).EnumerateArray().Should().ContainSingle().Subject;
        timelineEvent.GetProperty("id").GetGuid().Should().Be(dated.GetProperty("resultId").GetGuid());
        timelineEvent.GetProperty("description").GetString().Should().Be("It was now the middle of November.");
        timelineEvent.GetProperty("storyTime").GetString().Should().Be("November");
        timelineEvent.GetProperty("chapterNumber").GetInt32().Should().Be(2);

        (await PendingAsync(writer, book)).Should().BeEmpty();
        await (await writer.Http.PostAsJsonAsync(Accept(book, Id(pending, "Ellen Marsh")), new { })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await writer.Http.PostAsync($"{book.Path}/suggestions/{Id(pending, "Quint")}/dismiss", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await writer.GetAsync($"{book.Path}/appearances?chapter=2")).GetProperty("items").GetArrayLength().Should().Be(1, "a refused second accept writes nothing");
    }

    [Fact]
    public async Task A_newer_check_replaces_the_chapters_pending_suggestions_while_redeliveries_older_checks_and_decided_ones_change_nothing()
    {
        using var writer = ProjectsClient.For(api);
        var book = await BookAsync(writer);
        var now = DateTimeOffset.UtcNow;
        var first = Extracted(book, book.Chapters[0], 1, now, [new SuggestedAppearance("Ellen Marsh", 2, 1)], [new SuggestedName("Quint", 3, 2, "Quint waved.")],
            [new SuggestedTimelineFact(3, 1, "It was March.")]);
        var other = Extracted(book, book.Chapters[1], 2, now, [new SuggestedAppearance("Tom Marsh", 1, 1)], [], []);
        await api.DeliverAsync(first, other);
        var before = await PendingAsync(writer, book);
        before.Should().HaveCount(4);
        await writer.PostAsync($"{book.Path}/suggestions/{Id(before, "Quint")}/dismiss", new { }, HttpStatusCode.OK);
        var afterDismissal = Ids(await PendingAsync(writer, book));

        await api.Services.GetRequiredService<IBus>().Publish(first);
        await api.DeliverAsync(Extracted(book, book.Chapters[1], 2, now.AddMilliseconds(-1), [], [], [])); // ignored (older), but proves the queue moved on
        Ids(await PendingAsync(writer, book)).Should().Equal(afterDismissal, "a redelivered message is handled once");

        await api.DeliverAsync(Extracted(book, book.Chapters[0], 1, now.AddMinutes(1),
            [new SuggestedAppearance("Ellen Marsh", 5, 3), new SuggestedAppearance("Tom Marsh", 1, 4)], [new SuggestedName("Quint", 4, 2, "Quint waved again.")], []));
        var replaced = await PendingAsync(writer, book);
        replaced.Select(suggestion => (suggestion.GetProperty("chapterNumber").GetInt32(), suggestion.GetProperty("subject").GetString())).Should().BeEquivalentTo(
            [(1, "Ellen Marsh"), (1, "Tom Marsh"), (2, "Tom Marsh")], "the dismissed name is not offered again and March is no longer read in chapter 1");
        replaced.Single(suggestion => suggestion.GetProperty("subject").GetString() == "Ellen Marsh").GetProperty("mentions").GetInt32().Should().Be(5);
        Id(replaced, "Tom Marsh", 2).Should().Be(Id(before, "Tom Marsh", 2), "another chapter's suggestions stay as they were");

        await api.DeliverAsync(Extracted(book, book.Chapters[0], 1, now, [], [new SuggestedName("Zed", 3, 1, "Zed ran.")], []));
        Ids(await PendingAsync(writer, book)).Should().Equal(Ids(replaced), "an older check delivered late does not replace a newer one");

        await api.DeliverAsync(Extracted(book, book.Chapters[1], 2, now.AddMinutes(1), [], [new SuggestedName("quint", 2, 1, "quint, said the gull.")], []));
        (await PendingAsync(writer, book)).Select(suggestion => suggestion.GetProperty("subject").GetString()).Should().Equal(
            ["Ellen Marsh", "Tom Marsh"], "a name dismissed in one chapter is not offered in another");
    }

    [Fact]
    public async Task Of_concurrent_decisions_on_one_suggestion_one_wins_and_the_others_are_409()
    {
        using var writer = ProjectsClient.For(api);
        var book = await BookAsync(writer);
        await api.DeliverAsync(Extracted(book, book.Chapters[0], 1, DateTimeOffset.UtcNow, [], [new SuggestedName("Quint", 3, 2, "Quint waved.")], []));
        var name = Id(await PendingAsync(writer, book), "Quint");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(index => index % 2 == 0
            ? writer.Http.PostAsJsonAsync(Accept(book, name), new { @as = "character" })
            : writer.Http.PostAsync($"{book.Path}/suggestions/{name}/dismiss", null)));

        var statuses = responses.Select(response => response.StatusCode).ToList();
        statuses.Count(status => status == HttpStatusCode.OK).Should().Be(1);
        statuses.Count(status => status == HttpStatusCode.Conflict).Should().Be(5);
        var acceptWon = statuses.IndexOf(HttpStatusCode.OK) % 2 == 0;
        var characters = (await writer.GetAsync($"{book.Path}/characters")).GetProperty("items").EnumerateArray().Select(character => character.GetProperty("name").GetString());
        characters.Count(character => character == "Quint").Should().Be(acceptWon ? 1 : 0, "only the winning decision writes anything");
    }

    [Fact]
    public async Task Bad_input_is_400_other_users_and_unknown_suggestions_are_404_and_an_unknown_book_is_ignored()
    {
        using var writer = ProjectsClient.For(api);
        var book = await BookAsync(writer);
        await api.DeliverAsync(Extracted(book, book.Chapters[0], 1, DateTimeOffset.UtcNow, [new SuggestedAppearance("Ellen Marsh", 2, 1)], [new SuggestedName("Quint", 3, 2, "Quint waved.")], []));
        var pending = await PendingAsync(writer, book);
        var name = Id(pending, "Quint");

        await (await writer.Http.GetAsync($"{book.Path}/suggestions?kind=bogus")).ShouldBeValidationProblemAsync("kind");
        await (await writer.Http.PostAsJsonAsync(Accept(book, name), new { })).ShouldBeValidationProblemAsync("As");
        await (await writer.Http.PostAsJsonAsync(Accept(book, name), new { @as = "friend" })).ShouldBeValidationProblemAsync("As");
        await (await writer.Http.PostAsJsonAsync(Accept(book, name), new { @as = "alias" })).ShouldBeValidationProblemAsync("CharacterId");
        await (await writer.Http.PostAsJsonAsync(Accept(book, Id(pending, "Ellen Marsh")), new { @as = "character" })).ShouldBeValidationProblemAsync("As");
        await (await writer.Http.PostAsJsonAsync(Accept(book, name), new { @as = "alias", characterId = Guid.NewGuid() })).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await writer.Http.PostAsJsonAsync(Accept(book, Guid.NewGuid()), new { })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await writer.Http.PostAsync($"{book.Path}/suggestions/{Guid.NewGuid()}/dismiss", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        using var stranger = ProjectsClient.For(api);
        await (await stranger.Http.GetAsync($"{book.Path}/suggestions")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.PostAsJsonAsync(Accept(book, name), new { @as = "character" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.PostAsync($"{book.Path}/suggestions/{name}/dismiss", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var strangersBook = await stranger.CreateProjectAsync();
        await (await stranger.Http.PostAsync($"/api/v1/projects/{strangersBook}/suggestions/{name}/dismiss", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await PendingAsync(writer, book)).Should().HaveCount(2, "nothing was decided by the failed requests");

        var unknown = new TestBook(Guid.NewGuid(), [Guid.NewGuid()], Guid.Empty, Guid.Empty);
        await api.DeliverAsync(Extracted(unknown, unknown.Chapters[0], 1, DateTimeOffset.UtcNow, [new SuggestedAppearance("Ellen Marsh", 1, 1)], [], []));
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM continuity_suggestions WHERE project_id = @ProjectId", new { unknown.ProjectId })).Should().Be(0);
    }

    private sealed record TestBook(Guid ProjectId, IReadOnlyList<Guid> Chapters, Guid Ellen, Guid Tom)
    {
        public string Path => $"/api/v1/projects/{ProjectId}";
    }

    private static async Task<TestBook> BookAsync(ProjectsClient writer)
    {
        var projectId = await writer.CreateProjectAsync("The Lighthouse Keeper");
        var path = $"/api/v1/projects/{projectId}";
        var chapters = new List<Guid>();
        foreach (var title in new[] { "Dawn", "The Wreck" })
        {
            chapters.Add((await writer.PostAsync($"{path}/chapters", new { title }, HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }

        var ellen = (await writer.PostAsync($"{path}/characters", new { name = "Ellen Marsh", aliases = new[] { "Ellen" } }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var tom = (await writer.PostAsync($"{path}/characters", new { name = "Tom Marsh", aliases = new[] { "Tom" } }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        return new TestBook(projectId, chapters, ellen, tom);
    }

    private static ContinuitySuggestionsExtracted Extracted(
        TestBook book, Guid chapterId, int number, DateTimeOffset checkedAt, IReadOnlyList<SuggestedAppearance> appearances, IReadOnlyList<SuggestedName> names,
        IReadOnlyList<SuggestedTimelineFact> facts) =>
        new(Guid.NewGuid(), Guid.NewGuid(), checkedAt, Actor.System("continuity"), book.ProjectId, chapterId, number, $"commit-{checkedAt.ToUnixTimeMilliseconds()}",
            appearances, names, facts);

    private static async Task<List<JsonElement>> PendingAsync(ProjectsClient writer, TestBook book) =>
        (await writer.GetAsync($"{book.Path}/suggestions")).GetProperty("items").EnumerateArray().ToList();

    private static string Accept(TestBook book, Guid suggestionId) => $"{book.Path}/suggestions/{suggestionId}/accept";

    private static Guid Id(IEnumerable<JsonElement> suggestions, string subject, int? chapterNumber = null) =>
        suggestions.Single(suggestion => suggestion.GetProperty("subject").GetString() == subject
            && (chapterNumber is null || suggestion.GetProperty("chapterNumber").GetInt32() == chapterNumber)).GetProperty("id").GetGuid();

    private static List<Guid> Ids(IEnumerable<JsonElement> suggestions) => suggestions.Select(suggestion => suggestion.GetProperty("id").GetGuid()).ToList();
}
