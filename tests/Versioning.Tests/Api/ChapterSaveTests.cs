using System.Net;
using System.Net.Http.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Versioning.Tests.Api;

[Collection(SharedVersioningApi.Name)]
public sealed class ChapterSaveTests(VersioningApiFactory factory)
{
    private static readonly Guid Chapter = Guid.NewGuid();

    private const string Opening = "It was a dark and stormy night.\n\nThe lighthouse keeper climbed the stairs.\n\nBelow, the sea was restless.";

    [Fact]
    public async Task Versions_read_back_with_history_and_word_stats()
    {
        using var book = await Book.CreateAsync(factory);
        var first = await book.SaveVersionAsync(Chapter, Opening, expectedHead: null);
        var second = await book.SaveVersionAsync(Chapter, Opening.Replace("restless", "restless and grey", StringComparison.Ordinal), first);

        (await book.TextAsync(Chapter)).Should().EndWith("restless and grey.");
        (await book.TextAsync(Chapter, first)).Should().Be(Opening);
        var history = await book.GetJsonAsync($"chapters/{Chapter}/history");
        history.EnumerateArray().Select(r => r.GetProperty("commitId").GetString()).Should().Equal(second, first);
        var latest = history[0].GetProperty("change");
        (latest.GetProperty("wordsAdded").GetInt32() - latest.GetProperty("wordsRemoved").GetInt32()).Should().Be(2);
        latest.GetProperty("words").GetInt32().Should().Be(20);
        history[0].GetProperty("author").GetProperty("kind").GetString().Should().Be("human");
    }

    [Fact]
    public async Task A_stale_expected_head_is_409_and_writes_nothing()
    {
        using var book = await Book.CreateAsync(factory);
        var first = await book.SaveVersionAsync(Chapter, Opening, expectedHead: null);
        await book.SaveVersionAsync(Chapter, Opening + "\n\nMore.", first);

        using var stale = await book.SaveAsync(Chapter, "Lost edit", expectedHead: first);
        await stale.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await book.GetJsonAsync("log")).GetArrayLength().Should().Be(2);
        (await book.TextAsync(Chapter)).Should().NotContain("Lost edit");
    }

    [Fact]
    public async Task Of_twenty_concurrent_saves_with_the_same_expected_head_exactly_one_wins()
    {
        using var book = await Book.CreateAsync(factory);
        var head = await book.SaveVersionAsync(Chapter, Opening, expectedHead: null);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => book.SaveAsync(Chapter, $"{Opening}\n\nEnding number {i}.", head)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Conflict).Should().Be(19);
        (await book.GetJsonAsync("log")).GetArrayLength().Should().Be(2);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Drafts_are_not_versions_until_a_major_edit()
    {
        using var book = await Book.CreateAsync(factory);
        var head = await book.SaveVersionAsync(Chapter, Opening, expectedHead: null);

        using var typo = await book.SaveAsync(Chapter, Opening.Replace("stormy", "stromy", StringComparison.Ordinal), null, mode: "draft");
        var saved = await typo.ShouldBeJsonAsync(HttpStatusCode.OK);
        saved.GetProperty("eTag").GetInt32().Should().Be(1);
        saved.GetProperty("commit").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        (await book.HeadAsync()).Should().Be(head);
        (await book.GetJsonAsync($"chapters/{Chapter}/content")).GetProperty("draft").GetProperty("text").GetString().Should().Contain("stromy");

        using var withoutIfMatch = await book.SaveAsync(Chapter, Opening, null, mode: "draft");
        await withoutIfMatch.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);

        using var staleDraft = new HttpRequestMessage(HttpMethod.Put, book.Path($"chapters/{Chapter}/content"))
        {
            Content = JsonContent.Create(new { text = Opening, mode = "draft" }),
        };
        staleDraft.Headers.TryAddWithoutValidation("If-Match", "\"7\"");
        using var stale = await book.Client.SendAsync(staleDraft);
        await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);

        using var rewrite = new HttpRequestMessage(HttpMethod.Put, book.Path($"chapters/{Chapter}/content"))
        {
            Content = JsonContent.Create(new { text = "Everything changed.\n\nA completely different chapter now.", mode = "draft" }),
        };
        rewrite.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var major = await book.Client.SendAsync(rewrite);
        var majorSaved = await major.ShouldBeJsonAsync(HttpStatusCode.OK);
        majorSaved.GetProperty("commit").GetProperty("kind").GetString().Should().Be("major_edit");
        (await book.TextAsync(Chapter)).Should().StartWith("Everything changed.");
    }

    [Fact]
    public async Task An_agent_commit_is_attributed_to_the_agent_and_model()
    {
        using var book = await Book.CreateAsync(factory);
        using var response = await book.SaveAsync(Chapter, Opening, null,
            author: new { kind = "agent", agent = new { name = "writer", model = "offline", confidence = 0.8 } });
        var commit = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        commit.GetProperty("author").GetProperty("kind").GetString().Should().Be("agent");
        commit.GetProperty("author").GetProperty("agent").GetProperty("model").GetString().Should().Be("offline");

        using var incomplete = await book.SaveAsync(Chapter, Opening + " Again.", commit.GetProperty("id").GetString(), author: new { kind = "agent" });
        await incomplete.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_chapter_restore_is_a_new_rollback_commit()
    {
        using var book = await Book.CreateAsync(factory);
        var first = await book.SaveVersionAsync(Chapter, Opening, expectedHead: null);
        var second = await book.SaveVersionAsync(Chapter, "Rewritten badly.", first);

        var restore = await book.PostJsonAsync($"chapters/{Chapter}/restore", new { from = first, expectedHead = second }, HttpStatusCode.Created);

        restore.GetProperty("kind").GetString().Should().Be("rollback");
        restore.GetProperty("restoredFrom").GetString().Should().Be(first);
        (await book.TextAsync(Chapter)).Should().Be(Opening);
        (await book.GetJsonAsync("log")).GetArrayLength().Should().Be(3);
    }

    [Fact]
    public async Task A_book_restore_is_a_rollback_commit_and_restoring_what_is_already_there_commits_nothing()
    {
        using var book = await Book.CreateAsync(factory);
        var first = await book.SaveVersionAsync(Chapter, Opening, expectedHead: null);
        var second = await book.SaveVersionAsync(Chapter, "Rewritten badly.", first);

        var restore = await book.PostJsonAsync("restore", new { from = first, expectedHead = second }, HttpStatusCode.Created);
        restore.GetProperty("kind").GetString().Should().Be("rollback");
        (await book.TextAsync(Chapter)).Should().Be(Opening);

        using var again = await book.Client.PostAsJsonAsync(new Uri(book.Path("restore"), UriKind.Relative),
            new { from = first, expectedHead = restore.GetProperty("id").GetString() });
        again.StatusCode.Should().Be(HttpStatusCode.NoContent, "the book already is as it was at that commit");
        (await book.GetJsonAsync("log")).GetArrayLength().Should().Be(3);
    }

    [Fact]
    public async Task Unknown_refs_and_chapters_are_404_and_bad_modes_400()
    {
        using var book = await Book.CreateAsync(factory);
        var head = await book.SaveVersionAsync(Chapter, Opening, expectedHead: null);

        using var unknownRef = await book.Client.GetAsync(new Uri(book.Path($"chapters/{Chapter}/content?ref=nope"), UriKind.Relative));
        await unknownRef.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var unknownChapter = await book.Client.GetAsync(new Uri(book.Path($"chapters/{Guid.NewGuid()}/content"), UriKind.Relative));
        await unknownChapter.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var badMode = await book.SaveAsync(Chapter, "x", head, mode: "publish");
        await badMode.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using var unknownBranch = await book.SaveAsync(Chapter, "x", head, branch: "nope");
        await unknownBranch.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var loneSurrogate = await book.Client.PutAsync(new Uri(book.Path($"chapters/{Chapter}/content"), UriKind.Relative),
            new StringContent("{\"text\":\"broken \\ud800 text\",\"expectedHead\":\"" + head + "\"}", System.Text.Encoding.UTF8, "application/json"));
        await loneSurrogate.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using var nothing = await book.SaveAsync(Chapter, Opening, head);
        await nothing.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Another_users_book_is_404_and_no_token_is_401()
    {
        using var book = await Book.CreateAsync(factory);
        await book.SaveVersionAsync(Chapter, Opening, expectedHead: null);
        using var stranger = factory.ClientFor(Guid.NewGuid());
        using var anonymous = factory.ClientFor(null);

        foreach (var path in new[] { $"chapters/{Chapter}/content", $"chapters/{Chapter}/history", "log", "branches", "versions", "diff?from=main&to=main" })
        {
            using var foreign = await stranger.GetAsync(new Uri(book.Path(path), UriKind.Relative));
            await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
            using var noToken = await anonymous.GetAsync(new Uri(book.Path(path), UriKind.Relative));
            noToken.StatusCode.Should().Be(HttpStatusCode.Unauthorized, path);
        }

        using var write = await stranger.PutAsJsonAsync(book.Path($"chapters/{Chapter}/content"), new { text = "hijack", expectedHead = (string?)null });
        await write.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
