using System.Net;
using System.Net.Http.Json;
using Dapper;
using Folio.Tests.Infrastructure;
using Npgsql;
using static Folio.Continuity.Tests.Api.ChecksApiTests;

namespace Folio.Continuity.Tests.Api;

[Collection(SharedContinuityApi.Name)]
public sealed class WaiversAndImpactTests(ContinuityApiFactory api)
{
    [Fact]
    public async Task A_waived_violation_is_not_reported_again_until_its_passage_changes()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "w1", "Ellen's blue eyes shone.");
        var run = await CheckAsync(book, book.Chapters[0]);
        var fingerprint = run.GetProperty("violations")[0].GetProperty("fingerprint").GetString();

        var waiver = await (await book.Owner.PostAsJsonAsync(book.Path("waivers"), new { checkId = run.GetProperty("id").GetGuid(), fingerprint, reason = "Dyed lenses, on purpose." }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        waiver.GetProperty("rule").GetString().Should().Be("character.fact_contradiction");
        waiver.GetProperty("passage").GetString().Should().Be("Ellen's blue eyes shone.");

        api.Texts.Write(book.ProjectId, book.Chapters[0], "w2", "The gale rose.\n\nEllen's blue eyes shone.");
        var again = await CheckAsync(book, book.Chapters[0]);
        again.GetProperty("status").GetString().Should().Be("pass");
        again.GetProperty("waived").GetInt32().Should().Be(1);
        again.GetProperty("passedRules").EnumerateArray().Select(rule => rule.GetString()).Should().Contain("character.fact_contradiction");

        api.Texts.Write(book.ProjectId, book.Chapters[0], "w3", "Ellen's blue eyes shone brightly.");
        var changed = await CheckAsync(book, book.Chapters[0]);
        changed.GetProperty("status").GetString().Should().Be("error");
        changed.GetProperty("waived").GetInt32().Should().Be(0);

        var waivers = await (await book.Owner.GetAsync(book.Path("waivers"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        waivers.EnumerateArray().Should().ContainSingle();
        (await book.Owner.DeleteAsync(book.Path($"waivers/{fingerprint}"))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await book.Owner.DeleteAsync(book.Path($"waivers/{fingerprint}"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await book.Owner.PostAsJsonAsync(book.Path("waivers"), new { checkId = run.GetProperty("id").GetGuid(), fingerprint = new string('0', 32) }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_revision_makes_later_chapters_sharing_its_characters_stale_until_rechecked_on_request()
    {
        var book = await TestBook.CreateAsync(api);
        await SetAutoRecheckAsync(book, false);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "r1", "Ellen lit the lamp.");
        api.Texts.Write(book.ProjectId, book.Chapters[1], "r1", "The sea was calm and empty.");
        api.Texts.Write(book.ProjectId, book.Chapters[2], "r1", "Ellen's blue eyes searched the sea.");
        foreach (var chapter in book.Chapters)
        {
            await CheckAsync(book, chapter);
        }

        await book.PublishAsync(Committed(book, "r2", book.Chapters[0]));
        await book.WaitAsync("SELECT count(*) FROM stale_chapters WHERE project_id = @ProjectId", 2);

        var debt = await (await book.Owner.GetAsync(book.Path("propagation-debt"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        debt.EnumerateArray().Select(stale => (stale.GetProperty("number").GetInt32(), stale.GetProperty("shared")[0].GetString()))
            .Should().Equal((1, "changed"), (3, "Ellen Marsh"));
        debt[1].GetProperty("causedByChapterId").GetGuid().Should().Be(book.Chapters[0]);
        var chapters = await (await book.Owner.GetAsync(book.Path("chapters"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        chapters.EnumerateArray().Select(chapter => chapter.GetProperty("stale").GetBoolean()).Should().Equal(true, false, true);

        var recheck = await (await book.Owner.PostAsync(book.Path("propagation-debt/recheck"), null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        recheck.GetProperty("checks").EnumerateArray().Select(run => (run.GetProperty("chapterNumber").GetInt32(), run.GetProperty("trigger").GetString()))
            .Should().Equal((1, "recheck"), (3, "recheck"));
        (await (await book.Owner.GetAsync(book.Path("propagation-debt"))).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray().Should().BeEmpty();
    }

    [Fact]
    public async Task With_auto_recheck_a_revision_rechecks_at_the_new_commit_as_the_owner()
    {
        var book = await TestBook.CreateAsync(api);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "q1", "Tom lit the lamp.");
        api.Texts.Write(book.ProjectId, book.Chapters[1], "q1", "Tom rowed out and Tom came back.");
        await CheckAsync(book, book.Chapters[0]);
        await CheckAsync(book, book.Chapters[1]);

        api.Texts.Write(book.ProjectId, book.Chapters[0], "q2", "Tom lit the lamp. Ellen's blue eyes watched him.");
        api.Texts.Write(book.ProjectId, book.Chapters[1], "q2", "Tom rowed out and Tom came back.");
        await book.PublishAsync(Committed(book, "q2", book.Chapters[0]));
        await book.WaitAsync("SELECT count(*) FROM check_runs WHERE project_id = @ProjectId AND commit_id = 'q2'", 2);

        var history = await (await book.Owner.GetAsync(book.Path($"chapters/{book.Chapters[0]}/checks"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        history[0].GetProperty("trigger").GetString().Should().Be("revision");
        history[0].GetProperty("ref").GetString().Should().Be("q2");
        history[0].GetProperty("status").GetString().Should().Be("error");
        (await (await book.Owner.GetAsync(book.Path("propagation-debt"))).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray().Should().BeEmpty();
        api.Texts.Reads.Where(read => read.ProjectId == book.ProjectId && read.Ref == "q2")
            .Should().HaveCount(2).And.OnlyContain(read => read.Caller == book.OwnerId && read.Azp == "continuity");
    }

    [Fact]
    public async Task With_auto_recheck_a_burst_of_commits_is_rechecked_once_at_its_last_commit()
    {
        var book = await TestBook.CreateAsync(api);
        foreach (var commit in new[] { "b2", "b3", "b4" })
        {
            api.Texts.Write(book.ProjectId, book.Chapters[0], commit, $"Tom lit the lamp ({commit}).");
        }

        await book.PublishAsync(Committed(book, "b2", book.Chapters[0]));
        await book.PublishAsync(Committed(book, "b3", book.Chapters[0]));
        await book.PublishAsync(Committed(book, "b4", book.Chapters[0]));
        await book.WaitAsync("SELECT count(*) FROM check_runs WHERE project_id = @ProjectId AND commit_id = 'b4'", 1);
        await book.WaitAsync("SELECT count(*) FROM recheck_due WHERE project_id = @ProjectId", 0);

        var history = await (await book.Owner.GetAsync(book.Path($"chapters/{book.Chapters[0]}/checks"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        history.EnumerateArray().Select(run => (run.GetProperty("ref").GetString(), run.GetProperty("trigger").GetString())).Should().Equal(("b4", "revision"));
        (await (await book.Owner.GetAsync(book.Path("propagation-debt"))).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray().Should().BeEmpty();
        api.Texts.Reads.Where(read => read.ProjectId == book.ProjectId).Select(read => read.Ref).Should().Equal("b4");
    }

    [Fact]
    public async Task An_automatic_recheck_at_an_older_commit_leaves_a_newer_commits_staleness_for_the_next_pass()
    {
        var book = await TestBook.CreateAsync(api);
        await SetAutoRecheckAsync(book, false);
        api.Texts.Write(book.ProjectId, book.Chapters[0], "n2", "Tom lit the lamp.");
        await book.PublishAsync(Committed(book, "n2", book.Chapters[0]));
        await book.WaitAsync("SELECT count(*) FROM stale_chapters WHERE project_id = @ProjectId", 1);

        // A commit newer than the one the pass checks at (its event still on the way when the pass began) keeps its mark.
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.ExecuteAsync(
                "UPDATE stale_chapters SET caused_at = now() + interval '1 hour' WHERE project_id = @ProjectId; UPDATE projects SET auto_recheck = true WHERE project_id = @ProjectId",
                new { book.ProjectId });
            await connection.ExecuteAsync(
                "INSERT INTO recheck_due (project_id, commit_id, committed_at, correlation_id, commits, due_at) VALUES (@ProjectId, 'n2', now(), gen_random_uuid(), 1, now())",
                new { book.ProjectId });
        }

        await book.WaitAsync("SELECT count(*) FROM recheck_due WHERE project_id = @ProjectId", 0);
        await book.WaitAsync("SELECT count(*) FROM stale_chapters WHERE project_id = @ProjectId", 1);
        (await (await book.Owner.GetAsync(book.Path($"chapters/{book.Chapters[0]}/checks"))).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray().Should().BeEmpty();
    }

    private static async Task SetAutoRecheckAsync(TestBook book, bool on) =>
        await (await book.Owner.PutAsJsonAsync(book.Path("settings"), new
        {
            pointOfView = "third", tense = "past", bannedPhrases = Array.Empty<string>(), repetitionThreshold = 3, lengthTolerance = 0.5, autoRecheck = on,
            rules = new Dictionary<string, object>(),
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
}
