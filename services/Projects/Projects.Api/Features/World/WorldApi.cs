using Dapper;
using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Audit;
using Folio.Projects.Api.Features.Bible;
using Folio.Projects.Api.Features.Series;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.World;

/// <summary>World entries of a book (its effective bible: own entries plus inherited series entries) and of a series.</summary>
public static class WorldApi
{
    private const string Columns =
        """
        w.id AS Id, w.overrides_id AS Overrides, w.kind AS Kind, w.name AS Name, w.description AS Description,
        w.facts::text AS Facts, w.version AS Version, w.created_at AS CreatedAt, w.updated_at AS UpdatedAt
        """;

    private const string EffectiveForBook =
        $"""
        SELECT {Columns}, 'book' AS Source FROM world_entries w WHERE w.project_id = @ProjectId
        UNION ALL
        SELECT {Columns}, 'series' AS Source
        FROM world_entries w JOIN series_books b ON b.series_id = w.series_id
        WHERE b.project_id = @ProjectId
          AND NOT EXISTS (SELECT 1 FROM world_entries o WHERE o.project_id = @ProjectId AND o.overrides_id = w.id)
        ORDER BY Name, Id
        """;

    public static IEndpointRouteBuilder MapWorldEndpoints(this IEndpointRouteBuilder app)
    {
        var book = app.MapOwnedProjectGroup("/world", "World");
        book.MapGet("/", ListForBookAsync);
        book.MapPost("/", CreateForBookAsync).WithValidation<WorldEntryRequest>();
        book.MapGet("/{entryId:guid}", GetForBookAsync);
        book.MapPut("/{entryId:guid}", UpdateForBookAsync).WithValidation<WorldEntryRequest>();
        book.MapDelete("/{entryId:guid}", DeleteForBookAsync);

        var series = app.MapOwnedSeriesGroup("/world", "World");
        series.MapGet("/", ListForSeriesAsync);
        series.MapPost("/", CreateForSeriesAsync).WithValidation<WorldEntryRequest>();
        series.MapGet("/{entryId:guid}", GetForSeriesAsync);
        series.MapPut("/{entryId:guid}", UpdateForSeriesAsync).WithValidation<WorldEntryRequest>();
        series.MapDelete("/{entryId:guid}", DeleteForSeriesAsync);
        return app;
    }

    private static async Task<Ok<WorldEntryListResponse>> ListForBookAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(new WorldEntryListResponse(await EffectiveAsync(connection, projectId, null, cancellationToken)));
    }

    private static async Task<Ok<WorldEntryResponse>> GetForBookAsync(Guid projectId, Guid entryId, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var entry = (await EffectiveAsync(connection, projectId, null, cancellationToken)).FirstOrDefault(candidate => candidate.Id == entryId)
            ?? throw NotFound(entryId);
        http.Response.SetETag(entry.Version);
        return TypedResults.Ok(entry);
    }

    private static async Task<Created<WorldEntryResponse>> CreateForBookAsync(
        Guid projectId, WorldEntryRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var entry = await BibleScope.ChangeBookAsync(db, projectId, (transaction, scope) => CreateAsync(transaction, scope, request, outbox, user, http, cancellationToken), cancellationToken);
        http.Response.SetETag(entry.Version);
        return TypedResults.Created($"/api/v1/projects/{projectId}/world/{entry.Id}", entry);
    }

    private static async Task<Ok<WorldEntryResponse>> UpdateForBookAsync(
        Guid projectId, Guid entryId, WorldEntryRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        var entry = await BibleScope.ChangeBookAsync(db, projectId, (transaction, scope) => UpdateAsync(transaction, scope, entryId, expected, request, outbox, user, http, cancellationToken), cancellationToken);
        http.Response.SetETag(entry.Version);
        return TypedResults.Ok(entry);
    }

    private static async Task<NoContent> DeleteForBookAsync(
        Guid projectId, Guid entryId, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await BibleScope.ChangeBookAsync(db, projectId, async (transaction, scope) =>
        {
            await DeleteAsync(transaction, scope, entryId, outbox, user, http, cancellationToken);
            return true;
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<WorldEntryListResponse>> ListForSeriesAsync(Guid seriesId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(new WorldEntryListResponse(await OfSeriesAsync(connection, seriesId, null, null, cancellationToken)));
    }

    private static async Task<Ok<WorldEntryResponse>> GetForSeriesAsync(Guid seriesId, Guid entryId, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var entry = (await OfSeriesAsync(connection, seriesId, entryId, null, cancellationToken)).SingleOrDefault() ?? throw NotFound(entryId);
        http.Response.SetETag(entry.Version);
        return TypedResults.Ok(entry);
    }

    private static async Task<Created<WorldEntryResponse>> CreateForSeriesAsync(
        Guid seriesId, WorldEntryRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var entry = await BibleScope.ChangeSeriesAsync(db, seriesId, user.Id, (transaction, scope) => CreateAsync(transaction, scope, request, outbox, user, http, cancellationToken), cancellationToken);
        http.Response.SetETag(entry.Version);
        return TypedResults.Created($"/api/v1/series/{seriesId}/world/{entry.Id}", entry);
    }

    private static async Task<Ok<WorldEntryResponse>> UpdateForSeriesAsync(
        Guid seriesId, Guid entryId, WorldEntryRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        var entry = await BibleScope.ChangeSeriesAsync(db, seriesId, user.Id, (transaction, scope) => UpdateAsync(transaction, scope, entryId, expected, request, outbox, user, http, cancellationToken), cancellationToken);
        http.Response.SetETag(entry.Version);
        return TypedResults.Ok(entry);
    }

    private static async Task<NoContent> DeleteForSeriesAsync(
        Guid seriesId, Guid entryId, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await BibleScope.ChangeSeriesAsync(db, seriesId, user.Id, async (transaction, scope) =>
        {
            await DeleteAsync(transaction, scope, entryId, outbox, user, http, cancellationToken);
            return true;
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<WorldEntryResponse> CreateAsync(
        NpgsqlTransaction transaction, BibleScope scope, WorldEntryRequest request, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var entryId = Guid.CreateVersion7();
        await BibleTable.World.EnsureAllowedAsync(transaction, scope, entryId, request.Name, request.Overrides, cancellationToken);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO world_entries (id, project_id, series_id, overrides_id, kind, name, description, facts)
            VALUES (@Id, @ProjectId, @SeriesId, @Overrides, @Kind, @Name, @Description, @Facts::jsonb)
            """,
            Parameters(entryId, scope, request), transaction, cancellationToken: cancellationToken));
        var entry = await LoadAsync(transaction, scope, entryId, cancellationToken) ?? throw NotFound(entryId);
        var context = AuditContext.FromRequest(http, user);
        await AuditLog.RecordAsync(transaction, context, scope.AuditTarget("world_entry", entryId), null, entry.Snapshot(), cancellationToken);
        await PublishUpdatedAsync(outbox, transaction, context, scope, entry, "created", cancellationToken);
        return entry;
    }

    private static async Task<WorldEntryResponse> UpdateAsync(
        NpgsqlTransaction transaction, BibleScope scope, Guid entryId, int expectedVersion, WorldEntryRequest request,
        IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var before = await LoadAsync(transaction, scope, entryId, cancellationToken) ?? throw NotFound(entryId);
        if (before.Version != expectedVersion)
        {
            throw ProblemException.PreconditionFailed($"World entry {entryId} changed since version {expectedVersion}; it is at version {before.Version}.");
        }

        await BibleTable.World.EnsureAllowedAsync(transaction, scope, entryId, request.Name, request.Overrides, cancellationToken);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE world_entries
            SET overrides_id = @Overrides, kind = @Kind, name = @Name, description = @Description, facts = @Facts::jsonb,
                version = version + 1, updated_at = now()
            WHERE id = @Id
            """,
            Parameters(entryId, scope, request), transaction, cancellationToken: cancellationToken));
        var entry = await LoadAsync(transaction, scope, entryId, cancellationToken) ?? throw NotFound(entryId);
        var context = AuditContext.FromRequest(http, user);
        await AuditLog.RecordAsync(transaction, context, scope.AuditTarget("world_entry", entryId), before.Snapshot(), entry.Snapshot(), cancellationToken);
        await PublishUpdatedAsync(outbox, transaction, context, scope, entry, "updated", cancellationToken);
        return entry;
    }

    private static async Task DeleteAsync(
        NpgsqlTransaction transaction, BibleScope scope, Guid entryId, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var before = await LoadAsync(transaction, scope, entryId, cancellationToken) ?? throw NotFound(entryId);
        var context = AuditContext.FromRequest(http, user);
        await AuditDetachedOverridesAsync(transaction, context, [entryId], cancellationToken);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM world_entries WHERE id = @Id", new { Id = entryId }, transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync<WorldEntrySnapshot>(transaction, context, scope.AuditTarget("world_entry", entryId), before.Snapshot(), null, cancellationToken);
        foreach (var projectId in scope.Books)
        {
            await outbox.EnqueueAsync(transaction, Updated(context, projectId, before, "deleted"), projectId.ToString(), cancellationToken);
        }

        // Removing an override brings the series entry back for this book: say so, so consumers need not re-read the bible.
        if (before.Overrides is { } restoredId && scope.ProjectId is { } bookId)
        {
            var restored = (await EffectiveAsync(transaction.Connection!, bookId, transaction, cancellationToken)).FirstOrDefault(candidate => candidate.Id == restoredId);
            if (restored is not null)
            {
                await outbox.EnqueueAsync(transaction, Updated(context, bookId, restored, "restored"), bookId.ToString(), cancellationToken);
            }
        }
    }

    private static object Parameters(Guid entryId, BibleScope scope, WorldEntryRequest request) => new
    {
        Id = entryId,
        scope.ProjectId,
        SeriesId = scope.ProjectId is null ? scope.SeriesId : null,
        request.Overrides,
        request.Kind,
        Name = request.Name.Trim(),
        request.Description,
        Facts = BibleScope.FactsJson(request.Facts),
    };

    private static async Task PublishUpdatedAsync(
        IOutbox outbox, NpgsqlTransaction transaction, AuditContext context, BibleScope scope, WorldEntryResponse entry, string change, CancellationToken cancellationToken)
    {
        foreach (var projectId in scope.Books)
        {
            await outbox.EnqueueAsync(transaction, Updated(context, projectId, entry, change), projectId.ToString(), cancellationToken);
        }
    }

    /// <summary>A deleted series records the deletion of each of its entries (the database removes them with the series).</summary>
    internal static async Task AuditSeriesDeletionAsync(NpgsqlTransaction transaction, AuditContext context, Guid seriesId, CancellationToken cancellationToken)
    {
        var entries = await OfSeriesAsync(transaction.Connection!, seriesId, null, transaction, cancellationToken);
        await AuditDetachedOverridesAsync(transaction, context, entries.Select(entry => entry.Id).ToList(), cancellationToken);
        foreach (var entry in entries)
        {
            await AuditLog.RecordAsync<WorldEntrySnapshot>(
                transaction, context, AuditTarget.InSeries(seriesId, "world_entry", entry.Id), entry.Snapshot(), null, cancellationToken);
        }
    }

    /// <summary>Books' overrides of deleted series entries stay as the books' own entries (ON DELETE SET NULL): audit that change too.</summary>
    private static async Task AuditDetachedOverridesAsync(
        NpgsqlTransaction transaction, AuditContext context, IReadOnlyList<Guid> seriesEntryIds, CancellationToken cancellationToken)
    {
        var overrides = await transaction.Connection!.QueryAsync<(Guid Id, Guid ProjectId)>(new CommandDefinition(
            "SELECT id, project_id FROM world_entries WHERE overrides_id = ANY(@Ids)",
            new { Ids = seriesEntryIds.ToArray() }, transaction, cancellationToken: cancellationToken));
        foreach (var (id, projectId) in overrides.ToList())
        {
            var book = await LoadAsync(transaction, new BibleScope(projectId, null, [projectId]), id, cancellationToken) ?? throw NotFound(id);
            await AuditLog.RecordAsync(
                transaction, context, AuditTarget.InProject(projectId, "world_entry", id), book.Snapshot(), book.Snapshot() with { Overrides = null }, cancellationToken);
        }
    }

    /// <summary>
    /// A book that joins a series inherits its world entries (<c>inherited</c>); one that leaves, or whose series is deleted,
    /// loses them (<c>deleted</c>). Call while the series' entries still exist.
    /// </summary>
    internal static async Task AnnounceSeriesMembershipAsync(
        NpgsqlTransaction transaction, IOutbox outbox, AuditContext context, Guid seriesId, Guid projectId, bool joined, CancellationToken cancellationToken)
    {
        var overridden = (await transaction.Connection!.QueryAsync<Guid>(new CommandDefinition(
            "SELECT overrides_id FROM world_entries WHERE project_id = @ProjectId AND overrides_id IS NOT NULL",
            new { ProjectId = projectId }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        foreach (var entry in await OfSeriesAsync(transaction.Connection!, seriesId, null, transaction, cancellationToken))
        {
            if (!overridden.Contains(entry.Id))
            {
                await outbox.EnqueueAsync(transaction, Updated(context, projectId, entry, joined ? "inherited" : "deleted"), projectId.ToString(), cancellationToken);
            }
        }
    }

    private static WorldEntryUpdated Updated(AuditContext context, Guid projectId, WorldEntryResponse entry, string change) =>
        new(Guid.CreateVersion7(), context.CorrelationId, DateTimeOffset.UtcNow, context.Actor, projectId, entry.Id, change,
            entry.Source, entry.Overrides, entry.Kind, entry.Name, entry.Facts);

    private static async Task<WorldEntryResponse?> LoadAsync(NpgsqlTransaction transaction, BibleScope scope, Guid entryId, CancellationToken cancellationToken) =>
        scope.ProjectId is { } projectId
            ? (await transaction.Connection!.QueryAsync<WorldEntryRow>(new CommandDefinition(
                $"SELECT {Columns}, 'book' AS Source FROM world_entries w WHERE w.id = @Id AND w.project_id = @ProjectId FOR UPDATE",
                new { Id = entryId, ProjectId = projectId }, transaction, cancellationToken: cancellationToken))).SingleOrDefault()?.ToResponse()
            : (await OfSeriesAsync(transaction.Connection!, scope.SeriesId!.Value, entryId, transaction, cancellationToken)).SingleOrDefault();

    private static async Task<IReadOnlyList<WorldEntryResponse>> EffectiveAsync(
        NpgsqlConnection connection, Guid projectId, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<WorldEntryRow>(new CommandDefinition(
            EffectiveForBook, new { ProjectId = projectId }, transaction, cancellationToken: cancellationToken))).Select(row => row.ToResponse()).ToList();

    private static async Task<IReadOnlyList<WorldEntryResponse>> OfSeriesAsync(
        NpgsqlConnection connection, Guid seriesId, Guid? entryId, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<WorldEntryRow>(new CommandDefinition(
            $"""
            SELECT {Columns}, 'series' AS Source FROM world_entries w
            WHERE w.series_id = @SeriesId AND (@EntryId::uuid IS NULL OR w.id = @EntryId)
            ORDER BY w.name, w.id
            """,
            new { SeriesId = seriesId, EntryId = entryId }, transaction, cancellationToken: cancellationToken))).Select(row => row.ToResponse()).ToList();

    private static ProblemException NotFound(Guid entryId) => ProblemException.NotFound($"World entry {entryId} does not exist here.");

    private sealed class WorldEntryRow
    {
        public Guid Id { get; init; }
        public Guid? Overrides { get; init; }
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Description { get; init; }
        public string Facts { get; init; } = "[]";
        public int Version { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public string Source { get; init; } = "";

        public WorldEntryResponse ToResponse() =>
            new(Id, Source, Overrides, Kind, Name, Description, BibleScope.ParseFacts(Facts), Version, CreatedAt, UpdatedAt);
    }
}
