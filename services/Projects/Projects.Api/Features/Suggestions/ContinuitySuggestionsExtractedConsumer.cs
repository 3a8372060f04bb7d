using System.Globalization;
using Dapper;
using Folio.Contracts.Continuity;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Folio.Projects.Api.Features.Suggestions;

/// <summary>
/// Keeps each chapter's pending suggestions as Continuity's latest check of it left them. A later check replaces the chapter's pending ones;
/// an earlier check delivered late changes nothing. What the writer already accepted or dismissed is not offered again: in the same chapter,
/// or anywhere in the book for an unknown name.
/// </summary>
public sealed class ContinuitySuggestionsExtractedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ContinuitySuggestionsExtracted>(db)
{
    private sealed record Suggestion(string Kind, string Key, string Subject, int? Month, int? Mentions, int Line, string Text);

    protected override async Task HandleAsync(ConsumeContext<ContinuitySuggestionsExtracted> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        var connection = transaction.Connection!;
        var latest = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            WITH newer AS (
                INSERT INTO continuity_extractions AS extraction (project_id, chapter_id, commit_id, extracted_at)
                SELECT @ProjectId, @ChapterId, @CommitId, @OccurredAt WHERE EXISTS (SELECT 1 FROM projects WHERE id = @ProjectId)
                ON CONFLICT (project_id, chapter_id) DO UPDATE SET commit_id = excluded.commit_id, extracted_at = excluded.extracted_at
                WHERE extraction.extracted_at <= excluded.extracted_at
                RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM newer)
            """,
            new { message.ProjectId, message.ChapterId, message.CommitId, message.OccurredAt }, transaction, cancellationToken: context.CancellationToken));
        if (!latest)
        {
            return;
        }

        var suggestions = Suggestions(message);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM continuity_suggestions WHERE project_id = @ProjectId AND chapter_id = @ChapterId AND status = 'pending';
            INSERT INTO continuity_suggestions (id, project_id, chapter_id, chapter_number, commit_id, kind, key, subject, month, mentions, line, text)
            SELECT gen_random_uuid(), @ProjectId, @ChapterId, @ChapterNumber, @CommitId, offered.kind, offered.key, offered.subject, offered.month,
                   offered.mentions, offered.line, offered.text
            FROM unnest(@Kinds, @Keys, @Subjects, @Months, @Mentions, @Lines, @Texts) AS offered(kind, key, subject, month, mentions, line, text)
            WHERE NOT EXISTS (
                SELECT 1 FROM continuity_suggestions AS decided
                WHERE decided.project_id = @ProjectId AND decided.status <> 'pending' AND decided.kind = offered.kind AND decided.key = offered.key
                  AND (decided.kind = 'unknown_name' OR decided.chapter_id = @ChapterId))
            """,
            new
            {
                message.ProjectId, message.ChapterId, message.ChapterNumber, message.CommitId,
                Kinds = suggestions.Select(suggestion => suggestion.Kind).ToArray(),
                Keys = suggestions.Select(suggestion => suggestion.Key).ToArray(),
                Subjects = suggestions.Select(suggestion => suggestion.Subject).ToArray(),
                Months = suggestions.Select(suggestion => suggestion.Month).ToArray(),
                Mentions = suggestions.Select(suggestion => suggestion.Mentions).ToArray(),
                Lines = suggestions.Select(suggestion => suggestion.Line).ToArray(),
                Texts = suggestions.Select(suggestion => suggestion.Text).ToArray(),
            },
            transaction, cancellationToken: context.CancellationToken));
    }

    private static List<Suggestion> Suggestions(ContinuitySuggestionsExtracted message) =>
    [
        .. message.Appearances.Select(appearance =>
            new Suggestion(SuggestionKinds.Appearance, appearance.Character, appearance.Character, null, appearance.Mentions, appearance.FirstLine, "")),
        .. message.UnknownNames.Select(name =>
            new Suggestion(SuggestionKinds.UnknownName, name.Name.ToLowerInvariant(), name.Name, null, name.Mentions, name.FirstLine, name.Text)),
        .. message.TimelineFacts.Where(fact => fact.Month is >= 1 and <= 12).Select(fact =>
            new Suggestion(SuggestionKinds.TimelineFact, $"{fact.Month}:{fact.Text}", MonthName(fact.Month), fact.Month, null, fact.Line, fact.Text)),
    ];

    private static string MonthName(int month) => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);
}
