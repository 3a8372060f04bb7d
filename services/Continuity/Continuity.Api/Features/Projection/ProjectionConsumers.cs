using System.Text.Json;
using Dapper;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Folio.Continuity.Api.Features.Projection;

/// <summary>Continuity's own copy of what checks need from Projects: the book's owner, characters, places, chapters and timeline.</summary>
internal static class Projection
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<int> ExecuteAsync<TMessage>(ConsumeContext<TMessage> context, NpgsqlTransaction transaction, string sql, object parameters)
        where TMessage : class =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: context.CancellationToken));

    /// <summary>Rows for a book Continuity has not heard of are dropped: its <c>ProjectCreated</c> comes first through the outbox.</summary>
    public const string KnownProject = "EXISTS (SELECT 1 FROM projects WHERE project_id = @ProjectId)";

    public sealed record ChapterMetadata(Guid ProjectId, Guid ChapterId, int Number, string Title, int? TargetLength, ChapterPlan? Brief);

    /// <summary>The brief is stored in the shape <see cref="Core.ChapterBrief"/> reads back: beats and point of view.</summary>
    public static Task<int> UpsertChapterAsync<TMessage>(ConsumeContext<TMessage> context, NpgsqlTransaction transaction, ChapterMetadata chapter)
        where TMessage : class =>
        ExecuteAsync(context, transaction,
            $"""
            INSERT INTO chapters (project_id, chapter_id, number, title, target_length, brief)
            SELECT @ProjectId, @ChapterId, @Number, @Title, @TargetLength, @Brief::jsonb WHERE {KnownProject}
            ON CONFLICT (project_id, chapter_id) DO UPDATE
            SET number = excluded.number, title = excluded.title, target_length = excluded.target_length, brief = excluded.brief
            """,
            new
            {
                chapter.ProjectId, chapter.ChapterId, chapter.Number, chapter.Title, chapter.TargetLength,
                Brief = chapter.Brief is null ? null : JsonSerializer.Serialize(chapter.Brief, Json),
            });
}

public sealed class ProjectCreatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ProjectCreated>(db)
{
    protected override Task HandleAsync(ConsumeContext<ProjectCreated> context, NpgsqlTransaction transaction) =>
        Projection.ExecuteAsync(context, transaction,
            "INSERT INTO projects (project_id, owner_id) VALUES (@ProjectId, @OwnerId) ON CONFLICT (project_id) DO NOTHING",
            new { context.Message.ProjectId, context.Message.OwnerId });
}

public sealed class CharacterUpdatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<CharacterUpdated>(db)
{
    protected override Task HandleAsync(ConsumeContext<CharacterUpdated> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        return Projection.ExecuteAsync(context, transaction,
            $"""
            INSERT INTO characters (project_id, character_id, name, aliases, facts, overrides)
            SELECT @ProjectId, @CharacterId, @Name, @Aliases::jsonb, @Facts::jsonb, @Overrides WHERE {Projection.KnownProject}
            ON CONFLICT (project_id, character_id) DO UPDATE
            SET name = excluded.name, aliases = excluded.aliases, facts = excluded.facts, overrides = excluded.overrides
            """,
            new
            {
                message.ProjectId, message.CharacterId, message.Name, message.Overrides,
                Aliases = JsonSerializer.Serialize(message.Aliases, Projection.Json), Facts = JsonSerializer.Serialize(message.Facts, Projection.Json),
            });
    }
}

public sealed class CharacterDeletedConsumer(NpgsqlDataSource db) : IdempotentConsumer<CharacterDeleted>(db)
{
    protected override Task HandleAsync(ConsumeContext<CharacterDeleted> context, NpgsqlTransaction transaction) =>
        Projection.ExecuteAsync(context, transaction, "DELETE FROM characters WHERE project_id = @ProjectId AND character_id = @CharacterId",
            new { context.Message.ProjectId, context.Message.CharacterId });
}

/// <summary>Places (and other world entries) only matter to checks as names that are not misspellings.</summary>
public sealed class WorldEntryUpdatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<WorldEntryUpdated>(db)
{
    protected override Task HandleAsync(ConsumeContext<WorldEntryUpdated> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        return message.Change == "deleted"
            ? Projection.ExecuteAsync(context, transaction, "DELETE FROM places WHERE project_id = @ProjectId AND entry_id = @EntryId", new { message.ProjectId, message.EntryId })
            : Projection.ExecuteAsync(context, transaction,
                $"""
                INSERT INTO places (project_id, entry_id, name, overrides) SELECT @ProjectId, @EntryId, @Name, @Overrides WHERE {Projection.KnownProject}
                ON CONFLICT (project_id, entry_id) DO UPDATE SET name = excluded.name, overrides = excluded.overrides
                """,
                new { message.ProjectId, message.EntryId, message.Name, message.Overrides });
    }
}

public sealed class ChapterAddedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ChapterAdded>(db)
{
    protected override Task HandleAsync(ConsumeContext<ChapterAdded> context, NpgsqlTransaction transaction) =>
        Projection.UpsertChapterAsync(context, transaction,
            new(context.Message.ProjectId, context.Message.ChapterId, context.Message.Number, context.Message.Title, context.Message.TargetLength, context.Message.Brief));
}

public sealed class ChapterUpdatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ChapterUpdated>(db)
{
    protected override Task HandleAsync(ConsumeContext<ChapterUpdated> context, NpgsqlTransaction transaction) =>
        Projection.UpsertChapterAsync(context, transaction,
            new(context.Message.ProjectId, context.Message.ChapterId, context.Message.Number, context.Message.Title, context.Message.TargetLength, context.Message.Brief));
}

public sealed class ChapterDeletedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ChapterDeleted>(db)
{
    protected override Task HandleAsync(ConsumeContext<ChapterDeleted> context, NpgsqlTransaction transaction) =>
        Projection.ExecuteAsync(context, transaction,
            """
            DELETE FROM chapters WHERE project_id = @ProjectId AND chapter_id = @ChapterId;
            DELETE FROM extractions WHERE project_id = @ProjectId AND chapter_id = @ChapterId;
            DELETE FROM stale_chapters WHERE project_id = @ProjectId AND chapter_id = @ChapterId
            """,
            new { context.Message.ProjectId, context.Message.ChapterId });
}

public sealed class ChaptersReorderedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ChaptersReordered>(db)
{
    protected override Task HandleAsync(ConsumeContext<ChaptersReordered> context, NpgsqlTransaction transaction) =>
        Projection.ExecuteAsync(context, transaction,
            """
            UPDATE chapters AS chapter SET number = position.number
            FROM unnest(@Ids, @Numbers) AS position(chapter_id, number)
            WHERE chapter.project_id = @ProjectId AND chapter.chapter_id = position.chapter_id;
            UPDATE extractions AS extraction SET chapter_number = chapter.number
            FROM chapters AS chapter
            WHERE extraction.project_id = @ProjectId AND chapter.project_id = @ProjectId AND chapter.chapter_id = extraction.chapter_id
            """,
            new
            {
                context.Message.ProjectId,
                Ids = context.Message.Order.Select(position => position.ChapterId).ToArray(),
                Numbers = context.Message.Order.Select(position => position.Number).ToArray(),
            });
}

public sealed class TimelineEventUpdatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<TimelineEventUpdated>(db)
{
    protected override Task HandleAsync(ConsumeContext<TimelineEventUpdated> context, NpgsqlTransaction transaction) =>
        Projection.ExecuteAsync(context, transaction,
            $"""
            INSERT INTO timeline_events (project_id, event_id, sequence, description, chapter_number, story_time, sort_key)
            SELECT @ProjectId, @EventId, @Sequence, @Description, @ChapterNumber, @StoryTime, @SortKey WHERE {Projection.KnownProject}
            ON CONFLICT (project_id, event_id) DO UPDATE
            SET sequence = excluded.sequence, description = excluded.description, chapter_number = excluded.chapter_number,
                story_time = excluded.story_time, sort_key = excluded.sort_key
            """,
            new
            {
                context.Message.ProjectId, context.Message.EventId, context.Message.Sequence, context.Message.Description,
                context.Message.ChapterNumber, context.Message.StoryTime, context.Message.SortKey,
            });
}

public sealed class TimelineEventDeletedConsumer(NpgsqlDataSource db) : IdempotentConsumer<TimelineEventDeleted>(db)
{
    protected override Task HandleAsync(ConsumeContext<TimelineEventDeleted> context, NpgsqlTransaction transaction) =>
        Projection.ExecuteAsync(context, transaction, "DELETE FROM timeline_events WHERE project_id = @ProjectId AND event_id = @EventId",
            new { context.Message.ProjectId, context.Message.EventId });
}
