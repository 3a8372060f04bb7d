using Dapper;
using Folio.Contracts;
using Folio.Contracts.Versioning;
using Folio.ServiceDefaults.Messaging;
using Folio.Projects.Api.Features.Settings;
using MassTransit;
using Npgsql;

namespace Folio.Projects.Api.Features.Stats;

/// <summary>
/// Keeps the stats in step with Versioning. Only commits on <c>main</c> count (a branch is an experiment until merged;
/// its words arrive with the merge commit). Each commit's words go to the calendar day it happened on in the owner's
/// time zone at that moment; only a human actor's added words count towards streaks.
/// </summary>
public sealed class ChapterRevisionCommittedConsumer(NpgsqlDataSource dataSource) : IdempotentConsumer<ChapterRevisionCommitted>(dataSource)
{
    public const string CountedBranch = "main";

    protected override async Task HandleAsync(ConsumeContext<ChapterRevisionCommitted> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        if (message.Branch != CountedBranch)
        {
            return;
        }

        var connection = transaction.Connection!;
        var timeZone = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            """
            SELECT coalesce(settings.time_zone, 'UTC')
            FROM projects AS project LEFT JOIN user_settings AS settings ON settings.user_id = project.owner_id
            WHERE project.id = @ProjectId
            """,
            new { message.ProjectId }, transaction, cancellationToken: cancellationToken));
        if (timeZone is null)
        {
            return; // the book was deleted after the commit; nothing left to count for
        }

        // A removed chapter is reported with 0 words and stays as a 0 row, so an older commit consumed later cannot revive it.
        foreach (var change in message.Changes)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO chapter_word_counts AS counts (project_id, chapter_id, words, characters, as_of)
                VALUES (@ProjectId, @ChapterId, @Words, coalesce(@Characters, 0), @OccurredAt)
                ON CONFLICT (project_id, chapter_id) DO UPDATE
                   SET words = excluded.words, characters = coalesce(@Characters, counts.characters), as_of = excluded.as_of
                 WHERE counts.as_of <= excluded.as_of
                """,
                new { message.ProjectId, change.ChapterId, Words = change.ChangeKind == "removed" ? 0 : change.Words, change.Characters, message.OccurredAt },
                transaction,
                cancellationToken: cancellationToken));
        }

        var added = message.Changes.Sum(change => change.WordsAdded);
        var removed = message.Changes.Sum(change => change.WordsRemoved);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO writing_days AS day (project_id, day, words_added, words_removed, human_words)
            VALUES (@ProjectId, @Day, @Added, @Removed, @HumanWords)
            ON CONFLICT (project_id, day) DO UPDATE
               SET words_added = day.words_added + excluded.words_added,
                   words_removed = day.words_removed + excluded.words_removed,
                   human_words = day.human_words + excluded.human_words
            """,
            new
            {
                message.ProjectId,
                Day = WritingStreaks.DayOf(message.OccurredAt, UserTimeZone.Find(timeZone)),
                Added = added,
                Removed = removed,
                HumanWords = message.Actor.Kind == ActorKind.Human ? added : 0,
            },
            transaction,
            cancellationToken: cancellationToken));
    }
}
