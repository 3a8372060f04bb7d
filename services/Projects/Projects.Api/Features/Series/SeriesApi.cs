using Dapper;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Audit;
using Folio.Projects.Api.Features.Characters;
using Folio.Projects.Api.Features.World;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.Series;

public static class SeriesApi
{
    public static IEndpointRouteBuilder MapSeriesEndpoints(this IEndpointRouteBuilder app)
    {
        var all = app.MapGroup("/api/v1/series").RequireAuthorization().WithTags("Series");
        all.MapPost("/", CreateAsync).WithValidation<SeriesRequest>();
        all.MapGet("/", ListAsync);

        var one = app.MapOwnedSeriesGroup("", "Series");
        one.MapGet("/", GetAsync).WithName("GetSeries");
        one.MapPut("/", UpdateAsync).WithValidation<SeriesRequest>();
        one.MapDelete("/", DeleteAsync);
        one.MapPost("/books", AddBookAsync).WithValidation<AddBookRequest>();
        one.MapDelete("/books/{projectId:guid}", RemoveBookAsync);
        one.MapPut("/books/order", ReorderAsync).WithValidation<ReorderBooksRequest>();
        one.MapGet("/stats", StatsAsync);
        one.MapGet("/audit", AuditAsync);
        return app;
    }

    private static async Task<CreatedAtRoute<SeriesResponse>> CreateAsync(
        SeriesRequest request, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var seriesId = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO series (id, owner_id, title, description) VALUES (@SeriesId, @OwnerId, @Title, @Description)",
            new { SeriesId = seriesId, OwnerId = user.Id, Title = request.Title.Trim(), request.Description },
            transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync(
            transaction, AuditContext.FromRequest(http, user), AuditTarget.InSeries(seriesId, "series", seriesId),
            null, new SeriesSnapshot(request.Title.Trim(), request.Description, []), cancellationToken);
        var series = await LoadAsync(connection, seriesId, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        http.Response.SetETag(series.Version);
        return TypedResults.CreatedAtRoute(series, "GetSeries", new { seriesId });
    }

    private static async Task<Ok<SeriesListResponse>> ListAsync(NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<SeriesSummaryResponse>(new CommandDefinition(
            """
            SELECT s.id AS Id, s.title AS Title, s.description AS Description,
                   (SELECT count(*)::int FROM series_books b WHERE b.series_id = s.id) AS BookCount,
                   s.version AS Version, s.created_at AS CreatedAt, s.updated_at AS UpdatedAt
            FROM series s WHERE s.owner_id = @OwnerId ORDER BY s.created_at DESC, s.id
            """,
            new { OwnerId = user.Id }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new SeriesListResponse(items.ToList()));
    }

    private static async Task<Ok<SeriesResponse>> GetAsync(Guid seriesId, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var series = await LoadAsync(connection, seriesId, null, cancellationToken);
        http.Response.SetETag(series.Version);
        return TypedResults.Ok(series);
    }

    private static async Task<Ok<SeriesResponse>> UpdateAsync(
        Guid seriesId, SeriesRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await OwnedSeries.LockAsync(transaction, seriesId, user.Id, cancellationToken);
        if (before.Version != expected)
        {
            throw ProblemException.PreconditionFailed($"Series {seriesId} changed since version {expected}; it is at version {before.Version}.");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE series SET title = @Title, description = @Description, version = version + 1, updated_at = now() WHERE id = @SeriesId",
            new { SeriesId = seriesId, Title = request.Title.Trim(), request.Description }, transaction, cancellationToken: cancellationToken));
        var books = await OwnedSeries.BookIdsAsync(connection, seriesId, transaction, cancellationToken);
        await AuditLog.RecordAsync(
            transaction, AuditContext.FromRequest(http, user), AuditTarget.InSeries(seriesId, "series", seriesId),
            new SeriesSnapshot(before.Title, before.Description, books), new SeriesSnapshot(request.Title.Trim(), request.Description, books), cancellationToken);
        var series = await LoadAsync(connection, seriesId, transaction, cancellationToken);
        await PublishToBooksAsync(outbox, transaction, http, user, series, books, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        http.Response.SetETag(series.Version);
        return TypedResults.Ok(series);
    }

    private static async Task<NoContent> DeleteAsync(
        Guid seriesId, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await OwnedSeries.LockAsync(transaction, seriesId, user.Id, cancellationToken);
        var books = await OwnedSeries.BookIdsAsync(connection, seriesId, transaction, cancellationToken);
        var context = AuditContext.FromRequest(http, user);
        foreach (var projectId in books)
        {
            await AnnounceMembershipAsync(transaction, outbox, context, seriesId, projectId, joined: false, cancellationToken);
        }

        await CharactersApi.AuditSeriesDeletionAsync(transaction, context, seriesId, cancellationToken);
        await WorldApi.AuditSeriesDeletionAsync(transaction, context, seriesId, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM series WHERE id = @SeriesId", new { SeriesId = seriesId }, transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync<SeriesSnapshot>(
            transaction, context, AuditTarget.InSeries(seriesId, "series", seriesId),
            new SeriesSnapshot(before.Title, before.Description, books), null, cancellationToken);
        foreach (var projectId in books)
        {
            await outbox.EnqueueAsync(transaction, Message(http, user, projectId, seriesId, before.Title, []), projectId.ToString(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<SeriesResponse>> AddBookAsync(
        Guid seriesId, AddBookRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var series = await OwnedSeries.LockAsync(transaction, seriesId, user.Id, cancellationToken);
        // Locking the book makes two series adding it at once take turns instead of failing on the key.
        var owned = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM projects WHERE id = @ProjectId AND owner_id = @OwnerId FOR UPDATE",
            new { request.ProjectId, OwnerId = user.Id }, transaction, cancellationToken: cancellationToken));
        if (owned is null)
        {
            throw ProblemException.NotFound($"Project {request.ProjectId} does not exist.");
        }

        var currentSeries = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT series_id FROM series_books WHERE project_id = @ProjectId",
            new { request.ProjectId }, transaction, cancellationToken: cancellationToken));
        if (currentSeries is not null)
        {
            throw ProblemException.Conflict(currentSeries == seriesId
                ? $"Project {request.ProjectId} is already in this series; reorder the books to move it."
                : $"Project {request.ProjectId} already belongs to another series; a book belongs to at most one.");
        }

        var before = await OwnedSeries.BookIdsAsync(connection, seriesId, transaction, cancellationToken);
        if (request.Sequence > before.Count + 1)
        {
            throw ProblemException.BadRequest($"Sequence must be between 1 and {before.Count + 1}.");
        }

        await EnsureNoNameClashesAsync(connection, transaction, seriesId, request.ProjectId, cancellationToken);
        var after = new List<Guid>(before);
        after.Insert((request.Sequence ?? before.Count + 1) - 1, request.ProjectId);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO series_books (project_id, series_id, sequence) VALUES (@ProjectId, @SeriesId, @Sequence)",
            new { request.ProjectId, SeriesId = seriesId, Sequence = after.Count }, transaction, cancellationToken: cancellationToken));
        await AnnounceMembershipAsync(transaction, outbox, AuditContext.FromRequest(http, user), seriesId, request.ProjectId, joined: true, cancellationToken);
        return await ChangeBooksAsync(connection, transaction, outbox, http, user, series, before, after, [], cancellationToken);
    }

    private static async Task<Ok<SeriesResponse>> RemoveBookAsync(
        Guid seriesId, Guid projectId, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var series = await OwnedSeries.LockAsync(transaction, seriesId, user.Id, cancellationToken);
        var before = await OwnedSeries.BookIdsAsync(connection, seriesId, transaction, cancellationToken);
        if (!before.Contains(projectId))
        {
            throw ProblemException.NotFound($"Project {projectId} is not a book of series {seriesId}.");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM series_books WHERE project_id = @ProjectId", new { ProjectId = projectId }, transaction, cancellationToken: cancellationToken));
        await AnnounceMembershipAsync(transaction, outbox, AuditContext.FromRequest(http, user), seriesId, projectId, joined: false, cancellationToken);
        var after = before.Where(id => id != projectId).ToList();
        return await ChangeBooksAsync(connection, transaction, outbox, http, user, series, before, after, [projectId], cancellationToken);
    }

    private static async Task<Ok<SeriesResponse>> ReorderAsync(
        Guid seriesId, ReorderBooksRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var series = await OwnedSeries.LockAsync(transaction, seriesId, user.Id, cancellationToken);
        var before = await OwnedSeries.BookIdsAsync(connection, seriesId, transaction, cancellationToken);
        if (request.ProjectIds.Count != before.Count || !request.ProjectIds.All(before.Contains))
        {
            throw ProblemException.Conflict("The new order must list exactly the books of the series; read the series again and retry.");
        }

        return await ChangeBooksAsync(connection, transaction, outbox, http, user, series, before, request.ProjectIds.ToList(), [], cancellationToken);
    }

    private static async Task<Ok<SeriesStatsResponse>> StatsAsync(Guid seriesId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var books = (await connection.QueryAsync<SeriesBookStats>(new CommandDefinition(
            """
            SELECT p.id AS ProjectId, b.sequence AS Sequence, p.title AS Title, p.target_word_count AS TargetWordCount,
                   coalesce(counts.words, 0)::int AS Words, coalesce(counts.characters, 0)::int AS Characters
            FROM series_books b
            JOIN projects p ON p.id = b.project_id
            LEFT JOIN LATERAL (
                SELECT sum(words) AS words, sum(characters) AS characters FROM chapter_word_counts WHERE project_id = p.id
            ) counts ON true
            WHERE b.series_id = @SeriesId ORDER BY b.sequence
            """,
            new { SeriesId = seriesId }, cancellationToken: cancellationToken))).ToList();
        return TypedResults.Ok(new SeriesStatsResponse(
            seriesId, books.Count, books.Sum(book => (long)(book.TargetWordCount ?? 0)), books.Sum(book => (long)book.Words), books.Sum(book => (long)book.Characters), books));
    }

    private static async Task<Ok<AuditPageResponse>> AuditAsync(
        Guid seriesId, [AsParameters] AuditQuery query, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await query.PageAsync(connection, "series_id", seriesId, cancellationToken));
    }

    /// <summary>Writes the new order as 1..n in one statement; the deferred unique constraint checks it at commit.</summary>
    private static async Task<Ok<SeriesResponse>> ChangeBooksAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IOutbox outbox,
        HttpContext http,
        ICurrentUser user,
        SeriesRow series,
        List<Guid> before,
        List<Guid> after,
        IReadOnlyList<Guid> leaving,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE series_books b SET sequence = o.sequence::int
            FROM unnest(@ProjectIds) WITH ORDINALITY AS o(project_id, sequence)
            WHERE b.project_id = o.project_id AND b.series_id = @SeriesId
            """,
            new { ProjectIds = after.ToArray(), SeriesId = series.Id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE series SET version = version + 1, updated_at = now() WHERE id = @SeriesId",
            new { SeriesId = series.Id }, transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync(
            transaction, AuditContext.FromRequest(http, user), AuditTarget.InSeries(series.Id, "series", series.Id),
            new SeriesSnapshot(series.Title, series.Description, before), new SeriesSnapshot(series.Title, series.Description, after), cancellationToken);
        var response = await LoadAsync(connection, series.Id, transaction, cancellationToken);
        await PublishToBooksAsync(outbox, transaction, http, user, response, after, cancellationToken);
        foreach (var projectId in leaving)
        {
            await outbox.EnqueueAsync(transaction, Message(http, user, projectId, series.Id, series.Title, []), projectId.ToString(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        http.Response.SetETag(response.Version);
        return TypedResults.Ok(response);
    }

    /// <summary>A book joining a series must not end up with two characters or world entries of one name.</summary>
    private static async Task EnsureNoNameClashesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid seriesId, Guid projectId, CancellationToken cancellationToken)
    {
        var clash = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            """
            SELECT s.name FROM characters s JOIN characters b ON lower(b.name) = lower(s.name)
            WHERE s.series_id = @SeriesId AND b.project_id = @ProjectId AND b.overrides_id IS DISTINCT FROM s.id
            UNION ALL
            SELECT s.name FROM world_entries s JOIN world_entries b ON lower(b.name) = lower(s.name)
            WHERE s.series_id = @SeriesId AND b.project_id = @ProjectId AND b.overrides_id IS DISTINCT FROM s.id
            LIMIT 1
            """,
            new { SeriesId = seriesId, ProjectId = projectId }, transaction, cancellationToken: cancellationToken));
        if (clash is not null)
        {
            throw ProblemException.Conflict($"The book and the series both define '{clash}'; rename one or make the book's entry an override.");
        }
    }

    /// <summary>Joining or leaving a series changes the book's effective bible: consumers hear about each inherited entry.</summary>
    private static async Task AnnounceMembershipAsync(
        NpgsqlTransaction transaction, IOutbox outbox, AuditContext context, Guid seriesId, Guid projectId, bool joined, CancellationToken cancellationToken)
    {
        await CharactersApi.AnnounceSeriesMembershipAsync(transaction, outbox, context, seriesId, projectId, joined, cancellationToken);
        await WorldApi.AnnounceSeriesMembershipAsync(transaction, outbox, context, seriesId, projectId, joined, cancellationToken);
    }

    private static async Task PublishToBooksAsync(
        IOutbox outbox, NpgsqlTransaction transaction, HttpContext http, ICurrentUser user, SeriesResponse series, IReadOnlyList<Guid> books, CancellationToken cancellationToken)
    {
        var order = series.Books.Select(book => new SeriesBook(book.ProjectId, book.Sequence)).ToList();
        foreach (var projectId in books)
        {
            await outbox.EnqueueAsync(transaction, Message(http, user, projectId, series.Id, series.Title, order), projectId.ToString(), cancellationToken);
        }
    }

    private static SeriesUpdated Message(HttpContext http, ICurrentUser user, Guid projectId, Guid seriesId, string title, IReadOnlyList<SeriesBook> books) =>
        new(Guid.CreateVersion7(), http.GetCorrelationId(), DateTimeOffset.UtcNow, AuditContext.FromRequest(http, user).Actor, projectId, seriesId, title, books);

    private static async Task<SeriesResponse> LoadAsync(NpgsqlConnection connection, Guid seriesId, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<SeriesHeader>(new CommandDefinition(
            """
            SELECT id AS Id, title AS Title, description AS Description, version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM series WHERE id = @SeriesId
            """,
            new { SeriesId = seriesId }, transaction, cancellationToken: cancellationToken)) ?? throw OwnedSeries.NotFound(seriesId);
        var books = await connection.QueryAsync<SeriesBookResponse>(new CommandDefinition(
            """
            SELECT p.id AS ProjectId, b.sequence AS Sequence, p.title AS Title, p.status AS Status, p.target_word_count AS TargetWordCount
            FROM series_books b JOIN projects p ON p.id = b.project_id
            WHERE b.series_id = @SeriesId ORDER BY b.sequence
            """,
            new { SeriesId = seriesId }, transaction, cancellationToken: cancellationToken));
        return new SeriesResponse(row.Id, row.Title, row.Description, books.ToList(), row.Version, row.CreatedAt, row.UpdatedAt);
    }

    private sealed record SeriesHeader(Guid Id, string Title, string? Description, int Version, DateTime CreatedAt, DateTime UpdatedAt);
}
