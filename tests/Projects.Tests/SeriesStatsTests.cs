using Folio.Contracts;
using Folio.Contracts.Versioning;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class SeriesStatsTests(ProjectsApiFactory api)
{
    [Fact]
    public async Task Series_stats_add_up_the_books_current_words_from_their_main_branches()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("The Salt Trilogy");
        var first = await writer.CreateProjectAsync("Salt", 80_000);
        var second = await writer.CreateProjectAsync("Sea", 90_000);
        await writer.AddBookAsync(seriesId, first);
        await writer.AddBookAsync(seriesId, second);

        var commits = new[]
        {
            Commit(first, "main", new ChapterChange(Guid.NewGuid(), "added", "c1", 1_200, 1_200, 0, 100, 6_100)),
            Commit(second, "main", new ChapterChange(Guid.NewGuid(), "added", "c2", 800, 800, 0, 100, 4_000)),
            Commit(second, "experiment", new ChapterChange(Guid.NewGuid(), "added", "c3", 5_000, 5_000, 0, 100, 25_000)),
        };
        await api.DeliverAsync(commits);

        var stats = await writer.GetAsync($"/api/v1/series/{seriesId}/stats");
        stats.GetProperty("words").GetInt64().Should().Be(2_000, "only main counts");
        stats.GetProperty("characters").GetInt64().Should().Be(10_100);
        stats.GetProperty("books").EnumerateArray().Select(book => book.GetProperty("words").GetInt32()).Should().Equal(1_200, 800);
    }

    private static ChapterRevisionCommitted Commit(Guid projectId, string branch, params ChapterChange[] changes) =>
        new(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(Guid.NewGuid()), projectId, branch, Guid.NewGuid().ToString("N"), "save", changes);
}
