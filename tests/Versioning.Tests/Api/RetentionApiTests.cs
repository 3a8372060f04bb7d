using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Folio.Tests.Infrastructure;
using Npgsql;

namespace Folio.Versioning.Tests.Api;

[Collection(SharedVersioningApi.Name)]
public sealed class RetentionApiTests(VersioningApiFactory factory)
{
    private static readonly Guid Chapter = Guid.NewGuid();

    private static string Revision(int index) =>
        $"# Chapter One\n\nRevision {index} of the opening, with a sentence that only it has: the {index}th lantern burned.\n\nThe closing paragraph stays.";

    /// <summary>70 revisions of one chapter, the oldest 20 spread over days 15 to 21 ago, newest last.</summary>
    private async Task<(Book Book, List<string> Commits)> BookWithSeventyRevisionsAsync()
    {
        var book = await Book.CreateAsync(factory);
        var commits = new List<string>();
        for (var index = 0; index < 70; index++)
        {
            commits.Add(await book.SaveVersionAsync(Chapter, Revision(index), commits.LastOrDefault()));
        }

        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        for (var index = 0; index < 70; index++)
        {
            await connection.ExecuteAsync(
                "UPDATE commits SET created_at = now() - make_interval(hours => @hours) WHERE project_id = @projectId AND id = @id",
                new { hours = (69 - index) * 7, projectId = book.ProjectId, id = commits[index] });
        }

        return (book, commits);
    }

    [Fact]
    public async Task Retention_thins_old_revisions_keeps_the_newest_tags_and_heads_and_reclaims_their_texts()
    {
        var (book, commits) = await BookWithSeventyRevisionsAsync();
        using var _ = book;
        await book.PostJsonAsync("versions", new { version = "v0.1.0", @ref = commits[5] }, HttpStatusCode.Created);
        var storageBefore = await book.GetJsonAsync("storage");

        var result = await book.PostJsonAsync("repository/retention", new { }, HttpStatusCode.OK);

        var pruned = result.GetProperty("prunedCommitIds").EnumerateArray().Select(id => id.GetString()!).ToHashSet();
        pruned.Should().NotBeEmpty().And.OnlyContain(id => commits.IndexOf(id) >= 1 && commits.IndexOf(id) < 20,
            "only revisions older than the newest 50 go, never the root");
        pruned.Should().NotContain(commits[5], "a tagged version is kept forever");
        result.GetProperty("garbageCollection").GetProperty("textsRemoved").GetInt32().Should().BeGreaterThanOrEqualTo(pruned.Count);

        // Every calendar day of the old revisions keeps exactly its newest one (plus the root and the tag).
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        var old = (await connection.QueryAsync<(string Id, DateTime CreatedAt)>(
            "SELECT id, created_at FROM commits WHERE project_id = @projectId AND id = ANY (@ids)",
            new { projectId = book.ProjectId, ids = commits.Take(20).ToArray() })).ToList();
        foreach (var day in old.GroupBy(commit => commit.CreatedAt.Date))
        {
            var newest = day.MaxBy(commit => commit.CreatedAt).Id;
            foreach (var (id, _) in day)
            {
                var mustSurvive = id == newest || id == commits[0] || id == commits[5];
                pruned.Contains(id).Should().Be(!mustSurvive, $"revision {commits.IndexOf(id)} of {day.Key:d}");
            }
        }

        foreach (var (commit, index) in commits.Select((commit, index) => (commit, index)))
        {
            using var read = await book.Client.GetAsync(new Uri(book.Path($"chapters/{Chapter}/content?ref={commit}&includeDraft=false"), UriKind.Relative));
            if (pruned.Contains(commit))
            {
                await read.ShouldBeProblemAsync(HttpStatusCode.Gone);
            }
            else
            {
                (await read.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("text").GetString().Should().Be(Revision(index));
            }
        }

        var log = await book.GetJsonAsync($"log?limit=100");
        log.GetArrayLength().Should().Be(70, "a pruned commit keeps its place in the history");
        log.EnumerateArray().Count(commit => commit.GetProperty("prunedAt").ValueKind == JsonValueKind.String).Should().Be(pruned.Count);
        (await book.GetJsonAsync($"chapters/{Chapter}/blame")).GetArrayLength().Should().BeGreaterThan(0);
        (await book.GetJsonAsync("storage")).GetProperty("totalBytes").GetInt64().Should().BeLessThan(storageBefore.GetProperty("totalBytes").GetInt64());

        var again = await book.PostJsonAsync("repository/retention", new { }, HttpStatusCode.OK);
        again.GetProperty("commitsPruned").GetInt32().Should().Be(0, "thinning is stable");
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_go_and_prunes_nothing()
    {
        var (book, commits) = await BookWithSeventyRevisionsAsync();
        using var _ = book;

        var preview = await book.PostJsonAsync("repository/retention?dryRun=true", new { }, HttpStatusCode.OK);

        preview.GetProperty("commitsPruned").GetInt32().Should().BeGreaterThan(0);
        preview.GetProperty("garbageCollection").ValueKind.Should().Be(JsonValueKind.Null);
        foreach (var (commit, index) in commits.Select((commit, index) => (commit, index)))
        {
            (await book.TextAsync(Chapter, commit)).Should().Be(Revision(index));
        }
    }

    [Fact]
    public async Task Settings_have_defaults_change_with_if_match_and_drive_retention()
    {
        using var book = await Book.CreateAsync(factory);
        using var read = await book.Client.GetAsync(new Uri(book.Path("repository/settings"), UriKind.Relative));
        var defaults = await read.ShouldBeJsonAsync(HttpStatusCode.OK);
        read.Headers.ETag!.Tag.Should().Be("\"1\"");
        defaults.GetProperty("majorEditThreshold").GetDouble().Should().Be(0.3);
        defaults.GetProperty("retention").GetProperty("keepLast").GetInt32().Should().Be(50);

        var change = new { majorEditThreshold = 0.9, retention = new { keepLast = 5, hourlyForHours = 0, dailyForDays = 0 } };
        using (var missing = await book.Client.PutAsJsonAsync(book.Path("repository/settings"), change))
        {
            await missing.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        }

        using (var first = await PutSettingsAsync(book, change, "\"1\""))
        {
            (await first.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("retention").GetProperty("keepLast").GetInt32().Should().Be(5);
            first.Headers.ETag!.Tag.Should().Be("\"2\"");
        }

        using (var stale = await PutSettingsAsync(book, change, "\"1\""))
        {
            await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var second = await PutSettingsAsync(book, change, "\"2\""))
        {
            second.StatusCode.Should().Be(HttpStatusCode.OK, "a second change from the current version succeeds");
            second.Headers.ETag!.Tag.Should().Be("\"3\"");
        }

        // With a 90% threshold a rewrite of half the chapter stays a draft.
        var head = await book.SaveVersionAsync(Chapter, "One two three four five six seven eight nine ten.", null);
        using (var draft = await book.SaveAsync(Chapter, "One two three four five alpha beta gamma delta epsilon.", null, mode: "draft"))
        {
            draft.StatusCode.Should().Be(HttpStatusCode.OK, "a 50% edit is below the project's 90% major-edit threshold");
        }

        (await book.HeadAsync()).Should().Be(head);
        for (var index = 0; index < 8; index++)
        {
            head = await book.SaveVersionAsync(Chapter, Revision(index), head);
        }

        var result = await book.PostJsonAsync("repository/retention", new { }, HttpStatusCode.OK);
        result.GetProperty("commitsPruned").GetInt32().Should().Be(2, "of 9 revisions the last 5 stay, then the root and the newest of the week (no hourly or daily windows)");
    }

    [Fact]
    public async Task Bad_settings_are_400_with_field_errors_and_change_nothing()
    {
        using var book = await Book.CreateAsync(factory);
        using (var response = await PutSettingsAsync(book, new { majorEditThreshold = 1.5, retention = new { keepLast = 50, hourlyForHours = 24, dailyForDays = 30 } }, "\"1\""))
        {
            await response.ShouldBeValidationProblemAsync("MajorEditThreshold");
        }

        using (var response = await PutSettingsAsync(book, new { majorEditThreshold = 0.3, retention = new { keepLast = 0, hourlyForHours = 24, dailyForDays = 30 } }, "\"1\""))
        {
            await response.ShouldBeValidationProblemAsync("Retention.KeepLast");
        }

        using (var response = await PutSettingsAsync(book, new { majorEditThreshold = 0.3, retention = new { keepLast = 50, hourlyForHours = 72, dailyForDays = 1 } }, "\"1\""))
        {
            await response.ShouldBeValidationProblemAsync("Retention.DailyForDays");
        }

        using (var response = await PutSettingsAsync(book, new { majorEditThreshold = 0.3, retention = new { keepLast = 50, hourlyForHours = 24, dailyForDays = 30 } }, "\"seven\""))
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        (await book.GetJsonAsync("repository/settings")).GetProperty("majorEditThreshold").GetDouble().Should().Be(0.3);
    }

    [Fact]
    public async Task Another_users_settings_and_retention_are_404()
    {
        using var book = await Book.CreateAsync(factory);
        using var stranger = new Book(factory.ClientFor(Guid.NewGuid()), book.ProjectId);
        await stranger.GetJsonAsync("repository/settings", HttpStatusCode.NotFound);
        using (var put = await PutSettingsAsync(stranger, new { majorEditThreshold = 0.5, retention = new { keepLast = 1, hourlyForHours = 0, dailyForDays = 0 } }, "\"1\""))
        {
            await put.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        await stranger.PostJsonAsync("repository/retention", new { }, HttpStatusCode.NotFound);
        (await book.GetJsonAsync("repository/settings")).GetProperty("retention").GetProperty("keepLast").GetInt32().Should().Be(50);
    }

    private static Task<HttpResponseMessage> PutSettingsAsync(Book book, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, book.Path("repository/settings")) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return book.Client.SendAsync(request);
    }
}
