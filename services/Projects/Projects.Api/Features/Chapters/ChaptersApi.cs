using Dapper;
using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Access;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NpgsqlTypes;

namespace Folio.Projects.Api.Features.Chapters;

/// <summary>
/// Chapter metadata. Numbers stay contiguous from 1: inserting, deleting and reordering renumber in the same
/// transaction (under the book's lock), and the new order goes to Versioning as ChaptersReordered.
/// </summary>
public static class ChaptersApi
{
    private static readonly string SelectChapter = $"SELECT {ChapterRow.Columns} FROM chapters WHERE project_id = @projectId AND id = @chapterId";

    public static IEndpointRouteBuilder MapChaptersApi(this IEndpointRouteBuilder app)
    {
        var chapters = app.MapOwnedProjectGroup("/chapters", "Chapters");
        chapters.MapGet("/", ListAsync);
        chapters.MapPost("/", CreateAsync).WithValidation<CreateChapterRequest>();
        chapters.MapPost("/reorder", ReorderAsync).WithValidation<ReorderChaptersRequest>();
        chapters.MapGet("/{chapterId:guid}", GetAsync);
        chapters.MapPut("/{chapterId:guid}", UpdateAsync).WithValidation<UpdateChapterRequest>();
        chapters.MapDelete("/{chapterId:guid}", DeleteAsync);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<ChapterResponse>>> ListAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChapterRow>(new CommandDefinition(
            $"SELECT {ChapterRow.Columns} FROM chapters WHERE project_id = @projectId ORDER BY number", new { projectId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<ChapterResponse>>(rows.Select(row => row.ToResponse()).ToList());
    }

    private static async Task<Ok<ChapterResponse>> GetAsync(Guid projectId, Guid chapterId, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var chapter = await FindAsync(connection, projectId, chapterId, cancellationToken);
        http.Response.SetETag(chapter.Version);
        return TypedResults.Ok(chapter);
    }

    private static async Task<Created<ChapterResponse>> CreateAsync(
        Guid projectId, CreateChapterRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var write = await ProjectWrite.BeginAsync(db, outbox, http, user, projectId, cancellationToken);
        var id = request.Id ?? Guid.CreateVersion7();
        if (await write.Connection.ExecuteScalarAsync<bool>(write.Command("SELECT EXISTS (SELECT 1 FROM chapters WHERE id = @id)", new { id })))
        {
            throw ProblemException.Conflict($"Chapter {id} already exists.");
        }

        var last = (await OrderedList.Chapters.Current(write)).Count();
        var number = await OrderedList.Chapters.OpenSlotAsync(write, request.Number);
        var chapter = (await write.Connection.QuerySingleAsync<ChapterRow>(write.Command(
            $"""
            INSERT INTO chapters (id, project_id, number, title, brief, status, target_length)
            VALUES (@id, @projectId, @number, @Title, @Brief::jsonb, @Status, @TargetLength)
            RETURNING {ChapterRow.Columns}
            """,
            new { id, projectId, number, Title = request.Title.Trim(), Brief = ChapterRow.BriefJson(request.Brief), Status = request.Status ?? ChapterStatuses.InOrder[0], request.TargetLength }))).ToResponse();

        write.Record("chapter", id, null, chapter.Snapshot());
        write.Publish((messageId, correlationId, at, actor) => new ChapterAdded(messageId, correlationId, at, actor, projectId, id, number, chapter.Title, chapter.Plan(), chapter.TargetLength));
        if (number <= last)
        {
            await PublishOrderAsync(write);
        }

        await write.CommitAsync();
        http.Response.SetETag(chapter.Version);
        return TypedResults.Created($"/api/v1/projects/{projectId}/chapters/{id}", chapter);
    }

    private static async Task<Ok<ChapterResponse>> UpdateAsync(
        Guid projectId, Guid chapterId, UpdateChapterRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        var (opened, row) = await ProjectWrite.BeginAsync<ChapterRow>(db, outbox, http, user, projectId, SelectChapter, new { chapterId }, cancellationToken);
        await using var write = opened;
        var before = row?.ToResponse() ?? throw ChapterNotFound(chapterId);
        if (before.Version != expected)
        {
            throw ProblemException.PreconditionFailed($"Chapter {chapterId} is at version {before.Version}, not {expected}: read it again and reapply your change.");
        }

        if (!ChapterStatuses.CanMove(before.Status, request.Status, briefed: request.Brief?.Beats is { Count: > 0 }))
        {
            throw ProblemException.Unprocessable(
                $"A chapter moves one step at a time ({string.Join(" → ", ChapterStatuses.InOrder)}), or straight to written with a brief that has beats, or back: not from {before.Status} to {request.Status}.");
        }

        var planned = before with { Title = request.Title.Trim(), Brief = request.Brief, Status = request.Status, TargetLength = request.TargetLength };
        write.Record("chapter", chapterId, before.Snapshot(), planned.Snapshot());
        write.Publish((messageId, correlationId, at, actor) =>
            new ChapterUpdated(messageId, correlationId, at, actor, projectId, chapterId, planned.Number, planned.Title, planned.Status, planned.TargetLength, planned.Plan()));
        var chapter = (await write.CommitAsync<ChapterRow>(new NpgsqlBatchCommand(
            $"""
            UPDATE chapters SET title = @Title, brief = @Brief::jsonb, status = @Status, target_length = @TargetLength,
                                version = version + 1, updated_at = now()
            WHERE id = @ChapterId
            RETURNING {ChapterRow.Columns}
            """)
        {
            Parameters =
            {
                new("ChapterId", chapterId), new("Title", planned.Title), new("Status", planned.Status),
                new("Brief", NpgsqlDbType.Text) { Value = (object?)ChapterRow.BriefJson(request.Brief) ?? DBNull.Value },
                new("TargetLength", NpgsqlDbType.Integer) { Value = (object?)request.TargetLength ?? DBNull.Value },
            },
        })).ToResponse();
        http.Response.SetETag(chapter.Version);
        return TypedResults.Ok(chapter);
    }

    private static async Task<NoContent> DeleteAsync(
        Guid projectId, Guid chapterId, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        int? expected = http.Request.Headers.IfMatch.Count > 0 ? http.Request.RequiredIfMatchVersion() : null;
        var (opened, row) = await ProjectWrite.BeginAsync<ChapterRow>(db, outbox, http, user, projectId, SelectChapter, new { chapterId }, cancellationToken);
        await using var write = opened;
        var before = row?.ToResponse() ?? throw ChapterNotFound(chapterId);
        if (expected is { } version && version != before.Version)
        {
            throw ProblemException.PreconditionFailed($"Chapter {chapterId} is at version {before.Version}, not {version}: it changed since you read it.");
        }

        await OrderedList.Chapters.DeleteAsync(write, chapterId, before.Number);
        write.Record("chapter", chapterId, before.Snapshot(), null);
        write.Publish((messageId, correlationId, at, actor) => new ChapterDeleted(messageId, correlationId, at, actor, projectId, chapterId));
        await PublishOrderAsync(write);
        await write.CommitAsync();
        return TypedResults.NoContent();
    }

    /// <summary>The new order names every chapter exactly once; the renumbering is checked against uniqueness once, at commit.</summary>
    private static async Task<Ok<IReadOnlyList<ChapterResponse>>> ReorderAsync(
        Guid projectId, ReorderChaptersRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var write = await ProjectWrite.BeginAsync(db, outbox, http, user, projectId, cancellationToken);
        var moves = await OrderedList.Chapters.ReorderAsync(write, request.ChapterIds);
        foreach (var (id, from, to) in moves)
        {
            write.Record("chapter", id, new { number = from }, new { number = to });
        }

        await PublishOrderAsync(write);
        await write.CommitAsync();
        return await ListAsync(projectId, db, cancellationToken);
    }

    private static async Task PublishOrderAsync(ProjectWrite write)
    {
        var order = (await OrderedList.Chapters.Current(write)).Select(chapter => new ChapterPosition(chapter.Id, chapter.Position)).ToList();
        write.Publish((messageId, correlationId, at, actor) => new ChaptersReordered(messageId, correlationId, at, actor, write.ProjectId, order));
    }

    private static async Task<ChapterResponse> FindAsync(NpgsqlConnection connection, Guid projectId, Guid chapterId, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<ChapterRow>(new CommandDefinition(
            SelectChapter, new { projectId, chapterId }, cancellationToken: cancellationToken)))?.ToResponse()
        ?? throw ChapterNotFound(chapterId);

    private static ProblemException ChapterNotFound(Guid chapterId) => ProblemException.NotFound($"Chapter {chapterId} does not exist in this book.");
}
