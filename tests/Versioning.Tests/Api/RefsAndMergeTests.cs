using System.Net;
using System.Net.Http.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Versioning.Tests.Api;

[Collection(SharedVersioningApi.Name)]
public sealed class RefsAndMergeTests(VersioningApiFactory factory)
{
    private static readonly Guid Chapter = Guid.NewGuid();

    private const string Base = "First paragraph stays.\n\nSecond paragraph is here.\n\nThird paragraph ends it.";

    [Fact]
    public async Task Branches_follow_gits_naming_rules_and_main_cannot_be_deleted()
    {
        using var book = await Book.CreateAsync(factory);
        var head = await book.SaveVersionAsync(Chapter, Base, null);

        var created = await book.PostJsonAsync("branches", new { name = "draft/alt-ending", from = "main" }, HttpStatusCode.Created);
        created.GetProperty("headCommitId").GetString().Should().Be(head);
        foreach (var bad in new[] { "has space", "double..dot", "ends.lock", "-leading", "colon:", "v1.0", "" })
        {
            using var response = await book.Client.PostAsJsonAsync(book.Path("branches"), new { name = bad });
            await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        using var duplicate = await book.Client.PostAsJsonAsync(book.Path("branches"), new { name = "draft/alt-ending" });
        await duplicate.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        using var unknownSource = await book.Client.PostAsJsonAsync(book.Path("branches"), new { name = "other", from = "nowhere" });
        await unknownSource.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var deleteMain = await book.Client.DeleteAsync(new Uri(book.Path("branches/main"), UriKind.Relative));
        await deleteMain.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        using var delete = await book.Client.DeleteAsync(new Uri(book.Path("branches/draft/alt-ending"), UriKind.Relative));
        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Versions_bump_semantically_and_published_ones_are_frozen()
    {
        using var book = await Book.CreateAsync(factory);
        var head = await book.SaveVersionAsync(Chapter, Base, null);

        (await book.PostJsonAsync("versions", new { bump = "minor" }, HttpStatusCode.Created)).GetProperty("name").GetString().Should().Be("v0.1");
        (await book.PostJsonAsync("versions", new { bump = "major", message = "First draft" }, HttpStatusCode.Created)).GetProperty("name").GetString().Should().Be("v1.0");
        (await book.PostJsonAsync("versions", new { bump = "patch" }, HttpStatusCode.Created)).GetProperty("name").GetString().Should().Be("v1.0.1");
        (await book.PostJsonAsync("versions", new { version = "v2.0", @ref = head }, HttpStatusCode.Created)).GetProperty("commitId").GetString().Should().Be(head);
        (await book.TextAsync(Chapter, "v1.0")).Should().Be(Base);

        foreach (var body in new object[] { new { version = "1.0" }, new { version = "v1" }, new { bump = "huge" }, new { } })
        {
            using var invalid = await book.Client.PostAsJsonAsync(book.Path("versions"), body);
            await invalid.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        using var duplicate = await book.Client.PostAsJsonAsync(book.Path("versions"), new { version = "v1.0" });
        await duplicate.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        (await book.PostJsonAsync("versions/v1.0/status", new { status = "completed" }, HttpStatusCode.OK)).GetProperty("status").GetString().Should().Be("completed");
        (await book.PostJsonAsync("versions/v1.0/status", new { status = "published" }, HttpStatusCode.OK)).GetProperty("status").GetString().Should().Be("published");
        using var demote = await book.Client.PostAsJsonAsync(book.Path("versions/v1.0/status"), new { status = "draft" });
        await demote.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        using var delete = await book.Client.DeleteAsync(new Uri(book.Path("versions/v1.0"), UriKind.Relative));
        await delete.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        using var backwards = await book.Client.PostAsJsonAsync(book.Path("versions/v2.0/status"), new { status = "draft" });
        await backwards.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        (await book.GetJsonAsync("versions")).EnumerateArray().Select(v => v.GetProperty("name").GetString()).Should().Equal("v2.0", "v1.0.1", "v1.0", "v0.1");
    }

    [Fact]
    public async Task Diff_between_refs_reports_blocks_words_and_unified_text()
    {
        using var book = await Book.CreateAsync(factory);
        var first = await book.SaveVersionAsync(Chapter, Base, null);
        var second = await book.SaveVersionAsync(Chapter, Base.Replace("Second paragraph is here.", "Second paragraph was rewritten here.", StringComparison.Ordinal), first);

        var diff = await book.GetJsonAsync($"diff?from={first}&to={second}");
        diff.GetProperty("totals").GetProperty("chaptersModified").GetInt32().Should().Be(1);
        var chapter = diff.GetProperty("chapters")[0];
        chapter.GetProperty("stats").GetProperty("wordsAdded").GetInt32().Should().BeGreaterThan(0);
        chapter.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("kind").GetString()).Should().Contain("modified");

        var unified = await book.GetJsonAsync($"diff?from={first}&to=main&chapterId={Chapter}&format=unified");
        unified.GetProperty("chapters")[0].GetProperty("unified").GetString().Should().Contain("rewritten");

        using var unknown = await book.Client.GetAsync(new Uri(book.Path($"diff?from={first}&to=nowhere"), UriKind.Relative));
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var badFormat = await book.Client.GetAsync(new Uri(book.Path($"diff?from={first}&to=main&format=pdf"), UriKind.Relative));
        await badFormat.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Edits_to_different_paragraphs_merge_cleanly_and_conflicts_are_resolved_by_a_second_call()
    {
        using var book = await Book.CreateAsync(factory);
        var root = await book.SaveVersionAsync(Chapter, Base, null);
        await book.PostJsonAsync("branches", new { name = "alt", from = "main" }, HttpStatusCode.Created);
        var alt = await book.SaveVersionAsync(Chapter, Base.Replace("First paragraph stays.", "First paragraph changed on alt.", StringComparison.Ordinal), root, branch: "alt");
        var main = await book.SaveVersionAsync(Chapter, Base.Replace("Third paragraph ends it.", "Third paragraph changed on main.", StringComparison.Ordinal), root);

        var merged = await book.PostJsonAsync("merges", new { source = "alt", target = "main", expectedTargetHead = main }, HttpStatusCode.Created);
        merged.GetProperty("kind").GetString().Should().Be("merge");
        merged.GetProperty("parents").EnumerateArray().Select(p => p.GetString()).Should().Equal(main, alt);
        var text = await book.TextAsync(Chapter);
        text.Should().Contain("changed on alt").And.Contain("changed on main").And.Contain("Second paragraph is here.");

        var mergedId = merged.GetProperty("id").GetString();
        var altHead = await book.SaveVersionAsync(Chapter, text.Replace("Second paragraph is here.", "Alt says the second.", StringComparison.Ordinal), alt, branch: "alt");
        var mainHead = await book.SaveVersionAsync(Chapter, text.Replace("Second paragraph is here.", "Main says the second.", StringComparison.Ordinal), mergedId);

        using var conflicting = await book.Client.PostAsJsonAsync(book.Path("merges"), new { source = "alt", target = "main", expectedTargetHead = mainHead });
        var problem = await conflicting.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var conflict = problem.GetProperty("conflicts")[0];
        conflict.GetProperty("chapterId").GetGuid().Should().Be(Chapter);
        var index = conflict.GetProperty("conflicts")[0].GetProperty("index").GetInt32();
        conflict.GetProperty("conflicts")[0].GetProperty("ours").GetString().Should().Contain("Main says");
        conflict.GetProperty("conflicts")[0].GetProperty("theirs").GetString().Should().Contain("Alt says");
        (await book.HeadAsync()).Should().Be(mainHead);

        var resolutions = new Dictionary<string, Dictionary<string, object>> { [Chapter.ToString()] = new() { [index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new { choice = "theirs" } } };
        var resolved = await book.PostJsonAsync("merges", new { source = "alt", target = "main", expectedTargetHead = mainHead, expectedSourceHead = altHead, resolutions }, HttpStatusCode.Created);
        resolved.GetProperty("kind").GetString().Should().Be("merge");
        (await book.TextAsync(Chapter)).Should().Contain("Alt says the second.").And.NotContain("Main says");
    }

    [Fact]
    public async Task A_locked_branch_takes_commits_only_from_the_lock_holder()
    {
        using var book = await Book.CreateAsync(factory);
        var head = await book.SaveVersionAsync(Chapter, Base, null);
        var taken = await book.PostJsonAsync("locks", new { branch = "main", holder = "job-42", ttlSeconds = 60 }, HttpStatusCode.Created);
        var token = taken.GetProperty("token").GetString();

        using var second = await book.Client.PostAsJsonAsync(book.Path("locks"), new { branch = "main", holder = "job-43" });
        (await second.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString().Should().Contain("job-42");
        using var intruder = await book.SaveAsync(Chapter, Base + "\n\nIntruder.", head);
        await intruder.ShouldBeProblemAsync(HttpStatusCode.Locked);
        using var holder = await book.SaveAsync(Chapter, Base + "\n\nHolder.", head, lockToken: token);
        var committed = await holder.ShouldBeJsonAsync(HttpStatusCode.Created);

        using var renew = await book.Client.PutAsJsonAsync(book.Path("locks/main"), new { token, ttlSeconds = 120 });
        renew.StatusCode.Should().Be(HttpStatusCode.OK);
        using var badTtl = await book.Client.PostAsJsonAsync(book.Path("locks"), new { branch = "main", holder = "x", ttlSeconds = 5 });
        await badTtl.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        using var release = await book.Client.DeleteAsync(new Uri(book.Path($"locks/main?token={token}"), UriKind.Relative));
        release.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await book.SaveVersionAsync(Chapter, Base + "\n\nAfter release.", committed.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Blame_names_the_commit_and_author_that_last_changed_each_paragraph()
    {
        using var book = await Book.CreateAsync(factory);
        var human = await book.SaveVersionAsync(Chapter, Base, null);
        using var agentSave = await book.SaveAsync(Chapter, Base.Replace("Third paragraph ends it.", "An agent wrote this ending.", StringComparison.Ordinal), human,
            author: new { kind = "agent", agent = new { name = "writer", model = "offline" } });
        var agent = (await agentSave.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        var blame = await book.GetJsonAsync($"chapters/{Chapter}/blame");

        blame.EnumerateArray().Select(line => line.GetProperty("commitId").GetString()).Should().Equal(human, human, agent);
        blame[2].GetProperty("author").GetProperty("agent").GetProperty("model").GetString().Should().Be("offline");
    }

    [Fact]
    public async Task Restoring_the_whole_book_brings_back_every_chapter_as_it_was()
    {
        using var book = await Book.CreateAsync(factory);
        var other = Guid.NewGuid();
        var first = await book.SaveVersionAsync(Chapter, Base, null);
        var second = await book.SaveVersionAsync(other, "A second chapter.", first);
        var third = await book.SaveVersionAsync(Chapter, "Changed.", second);

        var restored = await book.PostJsonAsync("restore", new { from = first, expectedHead = third }, HttpStatusCode.Created);

        restored.GetProperty("kind").GetString().Should().Be("rollback");
        (await book.TextAsync(Chapter)).Should().Be(Base);
        using var gone = await book.Client.GetAsync(new Uri(book.Path($"chapters/{other}/content?includeDraft=false"), UriKind.Relative));
        await gone.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await book.TextAsync(other, second)).Should().Be("A second chapter.");
    }
}
