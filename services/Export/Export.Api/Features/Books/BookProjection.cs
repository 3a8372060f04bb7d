using Dapper;
using Folio.Contracts.Projects;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Folio.Export.Api.Features.Books;

/// <summary>A new book with its owner and metadata; a ProjectUpdated handled earlier (queues race) already holds newer data.</summary>
public sealed class ProjectCreatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ProjectCreated>(db)
{
    protected override Task HandleAsync(ConsumeContext<ProjectCreated> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO export_books (project_id, owner_id, title, subtitle, language, author_name, publisher, rights, identifier, description, subjects, updated_at)
            VALUES (@ProjectId, @OwnerId, @Title, @Subtitle, @Language, @AuthorName, @Publisher, @Rights, @Identifier, @Description, @Subjects, @OccurredAt)
            ON CONFLICT (project_id) DO NOTHING
            """,
            new
            {
                message.ProjectId, message.OwnerId, message.Title, message.Subtitle, message.Language, message.AuthorName, message.Publisher,
                message.Rights, message.Identifier, message.Description, Subjects = message.Subjects?.ToArray() ?? [], message.OccurredAt,
            },
            transaction, cancellationToken: context.CancellationToken));
    }
}

/// <summary>
/// The metadata a title page and a package need. Queues are consumed concurrently, so events can arrive out of order:
/// the one that occurred last wins, whichever is handled last.
/// </summary>
public sealed class ProjectUpdatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ProjectUpdated>(db)
{
    protected override Task HandleAsync(ConsumeContext<ProjectUpdated> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO export_books (project_id, owner_id, title, subtitle, language, author_name, publisher, rights, identifier, description, subjects, updated_at)
            VALUES (@ProjectId, @OwnerId, @Title, @Subtitle, @Language, @AuthorName, @Publisher, @Rights, @Identifier, @Description, @Subjects, @OccurredAt)
            ON CONFLICT (project_id) DO UPDATE SET
                title = excluded.title, subtitle = excluded.subtitle, language = excluded.language, author_name = excluded.author_name,
                publisher = excluded.publisher, rights = excluded.rights, identifier = excluded.identifier,
                description = excluded.description, subjects = excluded.subjects, updated_at = excluded.updated_at
            WHERE export_books.updated_at <= excluded.updated_at
            """,
            new
            {
                message.ProjectId, message.OwnerId, message.Title, message.Subtitle, message.Language, message.AuthorName, message.Publisher,
                message.Rights, message.Identifier, message.Description, Subjects = message.Subjects.ToArray(), message.OccurredAt,
            },
            transaction, cancellationToken: context.CancellationToken));
    }
}

/// <summary>The series name and this book's number in it (both cleared when the book left the series).</summary>
public sealed class SeriesUpdatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<SeriesUpdated>(db)
{
    protected override Task HandleAsync(ConsumeContext<SeriesUpdated> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        var place = message.Books.FirstOrDefault(book => book.ProjectId == message.ProjectId);
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            place is null
                ? "DELETE FROM export_book_series WHERE project_id = @ProjectId AND series_id = @SeriesId"
                : """
                  INSERT INTO export_book_series (project_id, series_id, series_title, series_number) VALUES (@ProjectId, @SeriesId, @Title, @Sequence)
                  ON CONFLICT (project_id) DO UPDATE SET series_id = excluded.series_id, series_title = excluded.series_title, series_number = excluded.series_number
                  """,
            new { message.ProjectId, message.SeriesId, message.Title, place?.Sequence }, transaction, cancellationToken: context.CancellationToken));
    }
}

public sealed class ChapterAddedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ChapterAdded>(db)
{
    protected override Task HandleAsync(ConsumeContext<ChapterAdded> context, NpgsqlTransaction transaction) =>
        ChapterRows.UpsertAsync(transaction, context.Message.ProjectId, context.Message.ChapterId, context.Message.Number, context.Message.Title, context.CancellationToken);
}

public sealed class ChapterUpdatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ChapterUpdated>(db)
{
    protected override Task HandleAsync(ConsumeContext<ChapterUpdated> context, NpgsqlTransaction transaction) =>
        ChapterRows.UpsertAsync(transaction, context.Message.ProjectId, context.Message.ChapterId, context.Message.Number, context.Message.Title, context.CancellationToken);
}

public sealed class ChapterDeletedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ChapterDeleted>(db)
{
    protected override Task HandleAsync(ConsumeContext<ChapterDeleted> context, NpgsqlTransaction transaction) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM export_chapters WHERE chapter_id = @ChapterId AND project_id = @ProjectId",
            new { context.Message.ChapterId, context.Message.ProjectId }, transaction, cancellationToken: context.CancellationToken));
}

internal static class ChapterRows
{
    public static Task UpsertAsync(NpgsqlTransaction transaction, Guid projectId, Guid chapterId, int number, string title, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO export_chapters (chapter_id, project_id, number, title) VALUES (@ChapterId, @ProjectId, @Number, @Title)
            ON CONFLICT (chapter_id) DO UPDATE SET number = excluded.number, title = excluded.title
            """,
            new { ChapterId = chapterId, ProjectId = projectId, Number = number, Title = title }, transaction, cancellationToken: cancellationToken));
}
