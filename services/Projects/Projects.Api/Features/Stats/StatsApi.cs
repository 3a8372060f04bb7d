using Dapper;
using Folio.Projects.Api.Features.Settings;
using Folio.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.Stats;

public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapOwnedProjectGroup("/stats", "Stats").MapGet("/", GetAsync);
        return app;
    }

    private static async Task<Ok<ProjectStatsResponse>> GetAsync(
        Guid projectId, NpgsqlDataSource db, ICurrentUser user, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var project = await connection.QuerySingleAsync<StatsProject>(new CommandDefinition(
            "SELECT id AS Id, title AS Title, target_word_count AS TargetWords FROM projects WHERE id = @projectId",
            new { projectId }, cancellationToken: cancellationToken));
        var chapters = (await connection.QueryAsync<StatsChapter>(new CommandDefinition(
            """
            SELECT chapter.id AS Id, chapter.number AS Number, chapter.title AS Title, coalesce(counts.words, 0) AS Words,
                   coalesce(counts.characters, 0) AS Characters, chapter.target_length AS TargetLength
            FROM chapters AS chapter
            LEFT JOIN chapter_word_counts AS counts ON counts.project_id = chapter.project_id AND counts.chapter_id = chapter.id
            WHERE chapter.project_id = @projectId
            ORDER BY chapter.number
            """,
            new { projectId }, cancellationToken: cancellationToken))).ToList();
        var totals = await connection.QuerySingleAsync<(long Words, long Characters)>(new CommandDefinition(
            "SELECT coalesce(sum(words), 0), coalesce(sum(characters), 0) FROM chapter_word_counts WHERE project_id = @projectId",
            new { projectId }, cancellationToken: cancellationToken));
        var history = (await connection.QueryAsync<StatsDay>(new CommandDefinition(
            """
            SELECT day AS Date, words_added AS WordsAdded, words_removed AS WordsRemoved,
                   words_added - words_removed AS NetWords, human_words AS HumanWords
            FROM writing_days WHERE project_id = @projectId ORDER BY day
            """,
            new { projectId }, cancellationToken: cancellationToken))).ToList();
        var settings = await SettingsApi.ReadAsync(connection, null, user.Id, cancellationToken);

        var today = WritingStreaks.DayOf(clock.GetUtcNow(), UserTimeZone.Find(settings.TimeZone));
        var streaks = WritingStreaks.Compute(history.Where(day => day.HumanWords > 0).Select(day => day.Date), today);
        var words = (int)totals.Words;
        double? progress = project.TargetWords is > 0 ? Math.Round(100.0 * words / project.TargetWords.Value, 1) : null;
        return TypedResults.Ok(new ProjectStatsResponse(
            project,
            new StatsCurrent(words, (int)totals.Characters, chapters.Count, progress),
            new StatsBreakdown(chapters),
            history,
            new StatsStreaks(streaks.Current, streaks.Longest, streaks.TotalWritingDays, streaks.LastWritingDate, settings.TimeZone)));
    }
}
