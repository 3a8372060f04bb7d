using System.Text.Json;
using Dapper;
using Folio.Continuity.Api.Features.Projection;
using Folio.Continuity.Core;
using Npgsql;

namespace Folio.Continuity.Api.Features.Checks;

/// <summary>Everything a check of one chapter needs from Continuity's database, read in the caller's transaction.</summary>
public sealed record BookContext(CheckContext Context, IReadOnlyDictionary<string, RuleSetting> Settings, IReadOnlySet<string> Waivers, bool AutoRecheck);

public static class BookContextLoader
{
    private sealed record ProjectRow(string PointOfView, string Tense, string BannedPhrases, int RepetitionThreshold, double LengthTolerance, bool AutoRecheck);

    private sealed record CharacterRow(string Name, string Aliases, string Facts);

    private sealed record ExtractionRow(string Facts, string Dates);

    private sealed record RuleSettingRow(string RuleId, bool Enabled, string? Severity);

    /// <returns>Null when Continuity does not know the project.</returns>
    public static async Task<BookContext?> LoadAsync(NpgsqlTransaction transaction, Guid projectId, int chapterNumber, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        using var reader = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            SELECT point_of_view AS PointOfView, tense AS Tense, banned_phrases::text AS BannedPhrases, repetition_threshold AS RepetitionThreshold,
                   length_tolerance AS LengthTolerance, auto_recheck AS AutoRecheck
            FROM projects WHERE project_id = @projectId;
            SELECT name AS Name, aliases::text AS Aliases, facts::text AS Facts FROM characters
            WHERE project_id = @projectId
              AND character_id NOT IN (SELECT overrides FROM characters WHERE project_id = @projectId AND overrides IS NOT NULL)
            ORDER BY name;
            SELECT name FROM places
            WHERE project_id = @projectId AND entry_id NOT IN (SELECT overrides FROM places WHERE project_id = @projectId AND overrides IS NOT NULL);
            SELECT description AS Description, chapter_number AS ChapterNumber, story_time AS StoryTime, sort_key AS SortKey
            FROM timeline_events WHERE project_id = @projectId ORDER BY sequence;
            SELECT facts::text AS Facts, dates::text AS Dates FROM extractions WHERE project_id = @projectId AND chapter_number < @chapterNumber ORDER BY chapter_number;
            SELECT rule_id AS RuleId, enabled AS Enabled, severity AS Severity FROM rule_settings WHERE project_id = @projectId;
            SELECT fingerprint FROM waivers WHERE project_id = @projectId;
            """,
            new { projectId, chapterNumber }, transaction, cancellationToken: cancellationToken));
        var project = await reader.ReadSingleOrDefaultAsync<ProjectRow>();
        if (project is null)
        {
            return null;
        }

        var characters = (await reader.ReadAsync<CharacterRow>()).Select(row => new CharacterProfile(
            row.Name, Deserialize<List<string>>(row.Aliases), Deserialize<List<Fact>>(row.Facts))).ToList();
        var places = (await reader.ReadAsync<string>()).ToList();
        var timeline = (await reader.ReadAsync<TimelineEntry>()).ToList();
        var extractions = (await reader.ReadAsync<ExtractionRow>()).ToList();
        var settings = (await reader.ReadAsync<RuleSettingRow>()).ToDictionary(row => row.RuleId, row => new RuleSetting(row.Enabled, row.Severity));
        var waivers = (await reader.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);

        var style = new StyleGuide(project.PointOfView, project.Tense, Deserialize<List<string>>(project.BannedPhrases), project.RepetitionThreshold, project.LengthTolerance);
        var context = new CheckContext(
            new BookFacts(characters, timeline, places, style),
            extractions.SelectMany(row => Deserialize<List<EstablishedFact>>(row.Facts)).ToList(),
            extractions.SelectMany(row => Deserialize<List<DatedStatement>>(row.Dates)).ToList());
        return new BookContext(context, settings, waivers, project.AutoRecheck);
    }

    private static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Projection.Projection.Json)!;
}
