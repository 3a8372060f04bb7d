using System.Text.Json;
using Dapper;
using Npgsql;
using ProjectionJson = Folio.Continuity.Api.Features.Projection.Projection;

namespace Folio.Continuity.Api.Features.Impact;

/// <summary>
/// When chapter k changes, its own last check is out of date, and so is every later chapter that shares a character with it
/// (by the chapters' latest extractions, before and after the change) or, when both assert story months, the timeline.
/// </summary>
public static class ChangeImpact
{
    public const string Timeline = "timeline";
    public const string Changed = "changed";

    private sealed record ExtractionRow(Guid ChapterId, int Number, string Appearances, int Dates);

    private sealed record AppearanceName(string Character);

    /// <returns>The chapters marked stale, in reading order (the changed chapter first).</returns>
    public static async Task<IReadOnlyList<Guid>> MarkAsync(NpgsqlTransaction transaction, Guid projectId, Guid changedChapterId, string commitId, DateTimeOffset committedAt, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var changedNumber = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "SELECT number FROM chapters WHERE project_id = @projectId AND chapter_id = @changedChapterId", new { projectId, changedChapterId }, transaction, cancellationToken: cancellationToken));
        if (changedNumber is null)
        {
            return [];
        }

        var rows = (await connection.QueryAsync<ExtractionRow>(new CommandDefinition(
            """
            SELECT chapter.chapter_id AS ChapterId, chapter.number AS Number, coalesce(extraction.appearances::text, '[]') AS Appearances,
                   coalesce(jsonb_array_length(extraction.dates), 0) AS Dates
            FROM chapters AS chapter LEFT JOIN extractions AS extraction ON extraction.project_id = chapter.project_id AND extraction.chapter_id = chapter.chapter_id
            WHERE chapter.project_id = @projectId AND chapter.number >= @changedNumber ORDER BY chapter.number
            """,
            new { projectId, changedNumber }, transaction, cancellationToken: cancellationToken))).ToList();
        var changed = rows.FirstOrDefault(row => row.ChapterId == changedChapterId);
        var changedCharacters = changed is null ? [] : Characters(changed);

        var stale = new List<(Guid ChapterId, IReadOnlyList<string> Shared)> { (changedChapterId, [Changed]) };
        foreach (var later in rows.Where(row => row.Number > changedNumber))
        {
            var shared = Characters(later).Intersect(changedCharacters, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (changed is { Dates: > 0 } && later.Dates > 0)
            {
                shared.Add(Timeline);
            }

            if (shared.Count > 0)
            {
                stale.Add((later.ChapterId, shared));
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO stale_chapters (project_id, chapter_id, caused_by_chapter_id, caused_by_commit, caused_at, shared)
            SELECT @projectId, stale.chapter_id, @changedChapterId, @commitId, @committedAt, stale.shared::jsonb FROM unnest(@Ids, @Shared) AS stale(chapter_id, shared)
            ON CONFLICT (project_id, chapter_id) DO UPDATE
            SET caused_by_chapter_id = excluded.caused_by_chapter_id, caused_by_commit = excluded.caused_by_commit, caused_at = excluded.caused_at,
                shared = excluded.shared, marked_at = now()
            """,
            new
            {
                projectId, changedChapterId, commitId, committedAt, Ids = stale.Select(entry => entry.ChapterId).ToArray(),
                Shared = stale.Select(entry => JsonSerializer.Serialize(entry.Shared, ProjectionJson.Json)).ToArray(),
            },
            transaction, cancellationToken: cancellationToken));
        return stale.Select(entry => entry.ChapterId).ToList();
    }

    private static List<string> Characters(ExtractionRow row) =>
        JsonSerializer.Deserialize<List<AppearanceName>>(row.Appearances, ProjectionJson.Json)!.Select(appearance => appearance.Character).ToList();
}
