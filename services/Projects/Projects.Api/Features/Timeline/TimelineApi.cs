using Dapper;
using FluentValidation;
using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Access;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.Timeline;

/// <summary>
/// An event in the story's own time. <c>StoryTime</c> is how the book says it ("the second winter", "Tuesday
/// evening"); <c>SortKey</c> is an optional value that sorts as text (e.g. "1813-04-02" or "0002.3") for tools that
/// need the in-story chronology; <c>Sequence</c> is the writer's order of the list.
/// </summary>
public sealed record TimelineEventRequest(int? Sequence, string Description, int? ChapterNumber, string? StoryTime, string? SortKey);

public sealed record TimelineEventResponse(Guid Id, int Sequence, string Description, int? ChapterNumber, string? StoryTime, string? SortKey, int Version)
{
    public TimelineEventSnapshot Snapshot() => new(Sequence, Description, ChapterNumber, StoryTime, SortKey);
}

public sealed record TimelineEventSnapshot(int Sequence, string Description, int? ChapterNumber, string? StoryTime, string? SortKey);

public sealed record ReorderTimelineRequest(IReadOnlyList<Guid> EventIds);

internal sealed class TimelineEventRequestValidator : AbstractValidator<TimelineEventRequest>
{
    public TimelineEventRequestValidator()
    {
        RuleFor(request => request.Description).NotEmpty().MaximumLength(5_000);
        RuleFor(request => request.Sequence).InclusiveBetween(1, 100_000).When(request => request.Sequence is not null);
        RuleFor(request => request.ChapterNumber).InclusiveBetween(1, 10_000).When(request => request.ChapterNumber is not null);
        RuleFor(request => request.StoryTime).MaximumLength(200);
        RuleFor(request => request.SortKey).MaximumLength(100);
    }
}

internal sealed class ReorderTimelineRequestValidator : AbstractValidator<ReorderTimelineRequest>
{
    public ReorderTimelineRequestValidator() =>
        RuleFor(request => request.EventIds).NotNull().Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("Each event may appear only once.");
}

public static class TimelineApi
{
    private const string Columns =
        "id AS Id, sequence AS Sequence, description AS Description, chapter_number AS ChapterNumber, story_time AS StoryTime, sort_key AS SortKey, version AS Version";

    public static IEndpointRouteBuilder MapTimelineApi(this IEndpointRouteBuilder app)
    {
        var timeline = app.MapOwnedProjectGroup("/timeline", "Timeline");
        timeline.MapGet("/", ListAsync);
        timeline.MapPost("/", CreateAsync).WithValidation<TimelineEventRequest>();
        timeline.MapPost("/reorder", ReorderAsync).WithValidation<ReorderTimelineRequest>();
        timeline.MapPut("/{eventId:guid}", UpdateAsync).WithValidation<TimelineEventRequest>();
        timeline.MapDelete("/{eventId:guid}", DeleteAsync);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<TimelineEventResponse>>> ListAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var events = await connection.QueryAsync<TimelineEventResponse>(new CommandDefinition(
            $"SELECT {Columns} FROM timeline_events WHERE project_id = @projectId ORDER BY sequence", new { projectId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<TimelineEventResponse>>(events.ToList());
    }

    private static async Task<Created<TimelineEventResponse>> CreateAsync(
        Guid projectId, TimelineEventRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var write = await ProjectWrite.BeginAsync(db, outbox, http, user, projectId, cancellationToken);
        var created = await InsertAsync(write, request);
        await write.CommitAsync();
        http.Response.SetETag(created.Version);
        return TypedResults.Created($"/api/v1/projects/{projectId}/timeline/{created.Id}", created);
    }

    /// <summary>Adds an event at its sequence (the end when none), audited and announced in the write's transaction.</summary>
    internal static async Task<TimelineEventResponse> InsertAsync(ProjectWrite write, TimelineEventRequest request)
    {
        var sequence = await OrderedList.Timeline.OpenSlotAsync(write, request.Sequence);
        var created = await write.Connection.QuerySingleAsync<TimelineEventResponse>(write.Command(
            $"""
            INSERT INTO timeline_events (id, project_id, sequence, description, chapter_number, story_time, sort_key)
            VALUES (@id, @ProjectId, @sequence, @Description, @ChapterNumber, @StoryTime, @SortKey)
            RETURNING {Columns}
            """,
            new { id = Guid.CreateVersion7(), write.ProjectId, sequence, Description = request.Description.Trim(), request.ChapterNumber, request.StoryTime, request.SortKey }));
        write.Record("timeline_event", created.Id, null, created.Snapshot());
        Publish(write, created);
        return created;
    }

    private static async Task<Ok<TimelineEventResponse>> UpdateAsync(
        Guid projectId, Guid eventId, TimelineEventRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        await using var write = await ProjectWrite.BeginAsync(db, outbox, http, user, projectId, cancellationToken);
        var before = await FindAsync(write, eventId);
        if (before.Version != expected)
        {
            throw ProblemException.PreconditionFailed($"Timeline event {eventId} is at version {before.Version}, not {expected}.");
        }

        var updated = await write.Connection.QuerySingleAsync<TimelineEventResponse>(write.Command(
            $"""
            UPDATE timeline_events SET description = @Description, chapter_number = @ChapterNumber, story_time = @StoryTime, sort_key = @SortKey,
                                       version = version + 1, updated_at = now()
            WHERE id = @eventId
            RETURNING {Columns}
            """,
            new { eventId, Description = request.Description.Trim(), request.ChapterNumber, request.StoryTime, request.SortKey }));
        write.Record("timeline_event", eventId, before.Snapshot(), updated.Snapshot());
        Publish(write, updated);
        await write.CommitAsync();
        http.Response.SetETag(updated.Version);
        return TypedResults.Ok(updated);
    }

    private static async Task<NoContent> DeleteAsync(
        Guid projectId, Guid eventId, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var write = await ProjectWrite.BeginAsync(db, outbox, http, user, projectId, cancellationToken);
        var before = await FindAsync(write, eventId);
        await OrderedList.Timeline.DeleteAsync(write, eventId, before.Sequence);
        write.Record("timeline_event", eventId, before.Snapshot(), null);
        write.Publish((messageId, correlationId, at, actor) => new TimelineEventDeleted(messageId, correlationId, at, actor, projectId, eventId));
        await write.CommitAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<TimelineEventResponse>>> ReorderAsync(
        Guid projectId, ReorderTimelineRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using (var write = await ProjectWrite.BeginAsync(db, outbox, http, user, projectId, cancellationToken))
        {
            foreach (var (id, from, to) in await OrderedList.Timeline.ReorderAsync(write, request.EventIds))
            {
                write.Record("timeline_event", id, new { sequence = from }, new { sequence = to });
            }

            await write.CommitAsync();
        }

        return await ListAsync(projectId, db, cancellationToken);
    }

    private static void Publish(ProjectWrite write, TimelineEventResponse timelineEvent) =>
        write.Publish((messageId, correlationId, at, actor) => new TimelineEventUpdated(
            messageId, correlationId, at, actor, write.ProjectId, timelineEvent.Id, timelineEvent.Sequence, timelineEvent.Description,
            timelineEvent.ChapterNumber, timelineEvent.StoryTime, timelineEvent.SortKey));

    private static async Task<TimelineEventResponse> FindAsync(ProjectWrite write, Guid eventId) =>
        await write.Connection.QuerySingleOrDefaultAsync<TimelineEventResponse>(write.Command(
            $"SELECT {Columns} FROM timeline_events WHERE project_id = @ProjectId AND id = @eventId", new { write.ProjectId, eventId }))
        ?? throw ProblemException.NotFound($"Timeline event {eventId} does not exist in this book.");
}
