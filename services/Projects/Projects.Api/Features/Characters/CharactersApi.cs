using Dapper;
using Folio.Contracts;
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

namespace Folio.Projects.Api.Features.Characters;

/// <summary>Characters of a book (its effective bible: own entries plus inherited series entries) and of a series.</summary>
public static class CharactersApi
{
    private const string Columns =
        """
        c.id AS Id, c.overrides_id AS Overrides, c.name AS Name, c.aliases AS Aliases, c.description AS Description,
        c.role AS Role, c.arc AS Arc, c.traits AS Traits, c.facts::text AS Facts, c.version AS Version,
        c.created_at AS CreatedAt, c.updated_at AS UpdatedAt
        """;

    private const string EffectiveForBook =
        $"""
        SELECT {Columns}, 'book' AS Source FROM characters c WHERE c.project_id = @ProjectId
        UNION ALL
        SELECT {Columns}, 'series' AS Source
        FROM characters c JOIN series_books b ON b.series_id = c.series_id
        WHERE b.project_id = @ProjectId
          AND NOT EXISTS (SELECT 1 FROM characters o WHERE o.project_id = @ProjectId AND o.overrides_id = c.id)
        ORDER BY Name, Id
        """;

    public static IEndpointRouteBuilder MapCharacterEndpoints(this IEndpointRouteBuilder app)
    {
        var book = app.MapOwnedProjectGroup("/characters", "Characters");
        book.MapGet("/", ListForBookAsync);
        book.MapPost("/", CreateForBookAsync).WithValidation<CharacterRequest>();
        book.MapGet("/{characterId:guid}", GetForBookAsync);
        book.MapPut("/{characterId:guid}", UpdateForBookAsync).WithValidation<CharacterRequest>();
        book.MapDelete("/{characterId:guid}", DeleteForBookAsync);
        book.MapGet("/{characterId:guid}/facts", FactsAsync);

        var series = app.MapOwnedSeriesGroup("/characters", "Characters");
        series.MapGet("/", ListForSeriesAsync);
        series.MapPost("/", CreateForSeriesAsync).WithValidation<CharacterRequest>();
        series.MapGet("/{characterId:guid}", GetForSeriesAsync);
        series.MapPut("/{characterId:guid}", UpdateForSeriesAsync).WithValidation<CharacterRequest>();
        series.MapDelete("/{characterId:guid}", DeleteForSeriesAsync);
        return app;
    }

    private static async Task<Ok<CharacterListResponse>> ListForBookAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(new CharacterListResponse(await EffectiveAsync(connection, projectId, null, cancellationToken)));
    }

    private static async Task<Ok<CharacterResponse>> GetForBookAsync(Guid projectId, Guid characterId, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var character = (await EffectiveAsync(connection, projectId, null, cancellationToken)).FirstOrDefault(entry => entry.Id == characterId)
            ?? throw NotFound(characterId);
        http.Response.SetETag(character.Version);
        return TypedResults.Ok(character);
    }

    /// <summary>
    /// What the Continuity service checks a chapter against. A series character's id also finds the book's override of it,
    /// so a caller holding the inherited id sees the facts that really apply to this book.
    /// </summary>
    private static async Task<Ok<CharacterFactsResponse>> FactsAsync(
        Guid projectId, Guid characterId, int? atChapter, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        if (atChapter is < 1)
        {
            throw ProblemException.BadRequest("atChapter starts at 1.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var character = (await EffectiveAsync(connection, projectId, null, cancellationToken))
            .FirstOrDefault(entry => entry.Id == characterId || entry.Overrides == characterId) ?? throw NotFound(characterId);
        var facts = atChapter is { } chapter ? BibleFacts.ValidAt(character.Facts, chapter) : character.Facts;
        return TypedResults.Ok(new CharacterFactsResponse(character.Id, atChapter, facts));
    }

    private static async Task<Created<CharacterResponse>> CreateForBookAsync(
        Guid projectId, CharacterRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var character = await BibleScope.ChangeBookAsync(db, projectId, (transaction, scope) => CreateAsync(transaction, scope, request, outbox, user, http, cancellationToken), cancellationToken);
        http.Response.SetETag(character.Version);
        return TypedResults.Created($"/api/v1/projects/{projectId}/characters/{character.Id}", character);
    }

    private static async Task<Ok<CharacterResponse>> UpdateForBookAsync(
        Guid projectId, Guid characterId, CharacterRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        var character = await BibleScope.ChangeBookAsync(db, projectId, (transaction, scope) => UpdateAsync(transaction, scope, characterId, expected, request, outbox, user, http, cancellationToken), cancellationToken);
        http.Response.SetETag(character.Version);
        return TypedResults.Ok(character);
    }

    private static async Task<NoContent> DeleteForBookAsync(
        Guid projectId, Guid characterId, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await BibleScope.ChangeBookAsync(db, projectId, async (transaction, scope) =>
        {
            await DeleteAsync(transaction, scope, characterId, outbox, user, http, cancellationToken);
            return true;
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<CharacterListResponse>> ListForSeriesAsync(Guid seriesId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(new CharacterListResponse(await OfSeriesAsync(connection, seriesId, null, null, cancellationToken)));
    }

    private static async Task<Ok<CharacterResponse>> GetForSeriesAsync(Guid seriesId, Guid characterId, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var character = (await OfSeriesAsync(connection, seriesId, characterId, null, cancellationToken)).SingleOrDefault() ?? throw NotFound(characterId);
        http.Response.SetETag(character.Version);
        return TypedResults.Ok(character);
    }

    private static async Task<Created<CharacterResponse>> CreateForSeriesAsync(
        Guid seriesId, CharacterRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var character = await BibleScope.ChangeSeriesAsync(db, seriesId, user.Id, (transaction, scope) => CreateAsync(transaction, scope, request, outbox, user, http, cancellationToken), cancellationToken);
        http.Response.SetETag(character.Version);
        return TypedResults.Created($"/api/v1/series/{seriesId}/characters/{character.Id}", character);
    }

    private static async Task<Ok<CharacterResponse>> UpdateForSeriesAsync(
        Guid seriesId, Guid characterId, CharacterRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        var character = await BibleScope.ChangeSeriesAsync(db, seriesId, user.Id, (transaction, scope) => UpdateAsync(transaction, scope, characterId, expected, request, outbox, user, http, cancellationToken), cancellationToken);
        http.Response.SetETag(character.Version);
        return TypedResults.Ok(character);
    }

    private static async Task<NoContent> DeleteForSeriesAsync(
        Guid seriesId, Guid characterId, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await BibleScope.ChangeSeriesAsync(db, seriesId, user.Id, async (transaction, scope) =>
        {
            await DeleteAsync(transaction, scope, characterId, outbox, user, http, cancellationToken);
            return true;
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<CharacterResponse> CreateAsync(
        NpgsqlTransaction transaction, BibleScope scope, CharacterRequest request, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var characterId = Guid.CreateVersion7();
        await BibleTable.Characters.EnsureAllowedAsync(transaction, scope, characterId, request.Name, request.Overrides, cancellationToken);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO characters (id, project_id, series_id, overrides_id, name, aliases, description, role, arc, traits, facts)
            VALUES (@Id, @ProjectId, @SeriesId, @Overrides, @Name, @Aliases, @Description, @Role, @Arc, @Traits, @Facts::jsonb)
            """,
            Parameters(characterId, scope, request), transaction, cancellationToken: cancellationToken));
        var character = await LoadAsync(transaction, scope, characterId, cancellationToken) ?? throw NotFound(characterId);
        var context = AuditContext.FromRequest(http, user);
        await AuditLog.RecordAsync(transaction, context, scope.AuditTarget("character", characterId), null, character.Snapshot(), cancellationToken);
        await PublishUpdatedAsync(outbox, transaction, context, scope, character, "created", cancellationToken);
        return character;
    }

    /// <summary>Adds <paramref name="alias"/> to one of the scope's own characters (an inherited series character is changed in its series).</summary>
    internal static async Task<CharacterResponse> AddAliasAsync(
        NpgsqlTransaction transaction, BibleScope scope, Guid characterId, string alias, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var character = await LoadAsync(transaction, scope, characterId, cancellationToken)
            ?? throw ProblemException.Unprocessable($"Character {characterId} is not one of this book's own characters.");
        var aliases = character.Aliases.Contains(alias, StringComparer.Ordinal) ? character.Aliases : [.. character.Aliases, alias];
        return await UpdateAsync(transaction, scope, characterId, character.Version,
            new CharacterRequest(character.Name, aliases, character.Description, character.Role, character.Arc, character.Traits, character.Facts, character.Overrides),
            outbox, user, http, cancellationToken);
    }

    private static async Task<CharacterResponse> UpdateAsync(
        NpgsqlTransaction transaction, BibleScope scope, Guid characterId, int expectedVersion, CharacterRequest request,
        IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var before = await LoadAsync(transaction, scope, characterId, cancellationToken) ?? throw NotFound(characterId);
        if (before.Version != expectedVersion)
        {
            throw ProblemException.PreconditionFailed($"Character {characterId} changed since version {expectedVersion}; it is at version {before.Version}.");
        }

        await BibleTable.Characters.EnsureAllowedAsync(transaction, scope, characterId, request.Name, request.Overrides, cancellationToken);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE characters
            SET overrides_id = @Overrides, name = @Name, aliases = @Aliases, description = @Description, role = @Role, arc = @Arc,
                traits = @Traits, facts = @Facts::jsonb, version = version + 1, updated_at = now()
            WHERE id = @Id
            """,
            Parameters(characterId, scope, request), transaction, cancellationToken: cancellationToken));
        var character = await LoadAsync(transaction, scope, characterId, cancellationToken) ?? throw NotFound(characterId);
        var context = AuditContext.FromRequest(http, user);
        await AuditLog.RecordAsync(transaction, context, scope.AuditTarget("character", characterId), before.Snapshot(), character.Snapshot(), cancellationToken);
        await PublishUpdatedAsync(outbox, transaction, context, scope, character, "updated", cancellationToken);
        return character;
    }

    private static async Task DeleteAsync(
        NpgsqlTransaction transaction, BibleScope scope, Guid characterId, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var before = await LoadAsync(transaction, scope, characterId, cancellationToken) ?? throw NotFound(characterId);
        var context = AuditContext.FromRequest(http, user);
        await AuditDetachedOverridesAsync(transaction, context, [characterId], cancellationToken);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM characters WHERE id = @Id", new { Id = characterId }, transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync<CharacterSnapshot>(transaction, context, scope.AuditTarget("character", characterId), before.Snapshot(), null, cancellationToken);
        foreach (var projectId in scope.Books)
        {
            await outbox.EnqueueAsync(
                transaction,
                new CharacterDeleted(Guid.CreateVersion7(), context.CorrelationId, DateTimeOffset.UtcNow, context.Actor, projectId, characterId, scope.Source, before.Overrides),
                projectId.ToString(),
                cancellationToken);
        }

        // Removing an override brings the series character back for this book: say so, so consumers need not re-read the bible.
        if (before.Overrides is { } restoredId && scope.ProjectId is { } bookId)
        {
            var restored = (await EffectiveAsync(transaction.Connection!, bookId, transaction, cancellationToken)).FirstOrDefault(entry => entry.Id == restoredId);
            if (restored is not null)
            {
                await outbox.EnqueueAsync(transaction, Updated(context, bookId, restored, "restored"), bookId.ToString(), cancellationToken);
            }
        }
    }

    private static object Parameters(Guid characterId, BibleScope scope, CharacterRequest request) => new
    {
        Id = characterId,
        scope.ProjectId,
        SeriesId = scope.ProjectId is null ? scope.SeriesId : null,
        request.Overrides,
        Name = request.Name.Trim(),
        Aliases = (request.Aliases ?? []).Select(alias => alias.Trim()).ToArray(),
        request.Description,
        Role = request.Role ?? "supporting",
        request.Arc,
        Traits = (request.Traits ?? []).Select(trait => trait.Trim()).ToArray(),
        Facts = BibleScope.FactsJson(request.Facts),
    };

    private static async Task PublishUpdatedAsync(
        IOutbox outbox, NpgsqlTransaction transaction, AuditContext context, BibleScope scope, CharacterResponse character, string change, CancellationToken cancellationToken)
    {
        foreach (var projectId in scope.Books)
        {
            await outbox.EnqueueAsync(transaction, Updated(context, projectId, character, change), projectId.ToString(), cancellationToken);
        }
    }

    /// <summary>A deleted series records the deletion of each of its entries (the database removes them with the series).</summary>
    internal static async Task AuditSeriesDeletionAsync(NpgsqlTransaction transaction, AuditContext context, Guid seriesId, CancellationToken cancellationToken)
    {
        var entries = await OfSeriesAsync(transaction.Connection!, seriesId, null, transaction, cancellationToken);
        await AuditDetachedOverridesAsync(transaction, context, entries.Select(entry => entry.Id).ToList(), cancellationToken);
        foreach (var entry in entries)
        {
            await AuditLog.RecordAsync<CharacterSnapshot>(
                transaction, context, AuditTarget.InSeries(seriesId, "character", entry.Id), entry.Snapshot(), null, cancellationToken);
        }
    }

    /// <summary>Books' overrides of deleted series entries stay as the books' own entries (ON DELETE SET NULL): audit that change too.</summary>
    private static async Task AuditDetachedOverridesAsync(
        NpgsqlTransaction transaction, AuditContext context, IReadOnlyList<Guid> seriesEntryIds, CancellationToken cancellationToken)
    {
        var overrides = await transaction.Connection!.QueryAsync<(Guid Id, Guid ProjectId)>(new CommandDefinition(
            "SELECT id, project_id FROM characters WHERE overrides_id = ANY(@Ids)",
            new { Ids = seriesEntryIds.ToArray() }, transaction, cancellationToken: cancellationToken));
        foreach (var (id, projectId) in overrides.ToList())
        {
            var book = await LoadAsync(transaction, new BibleScope(projectId, null, [projectId]), id, cancellationToken) ?? throw NotFound(id);
            await AuditLog.RecordAsync(
                transaction, context, AuditTarget.InProject(projectId, "character", id), book.Snapshot(), book.Snapshot() with { Overrides = null }, cancellationToken);
        }
    }

    /// <summary>
    /// A book that joins a series inherits its characters (<c>inherited</c>); one that leaves, or whose series is deleted,
    /// loses them. Call while the series' characters still exist and before the book's membership changes are committed.
    /// </summary>
    internal static async Task AnnounceSeriesMembershipAsync(
        NpgsqlTransaction transaction, IOutbox outbox, AuditContext context, Guid seriesId, Guid projectId, bool joined, CancellationToken cancellationToken)
    {
        var overridden = (await transaction.Connection!.QueryAsync<Guid>(new CommandDefinition(
            "SELECT overrides_id FROM characters WHERE project_id = @ProjectId AND overrides_id IS NOT NULL",
            new { ProjectId = projectId }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        foreach (var character in await OfSeriesAsync(transaction.Connection!, seriesId, null, transaction, cancellationToken))
        {
            if (overridden.Contains(character.Id))
            {
                continue;
            }

            IIntegrationMessage message = joined
                ? Updated(context, projectId, character, "inherited")
                : new CharacterDeleted(Guid.CreateVersion7(), context.CorrelationId, DateTimeOffset.UtcNow, context.Actor, projectId, character.Id, "series", null);
            await outbox.EnqueueAsync(transaction, message, projectId.ToString(), cancellationToken);
        }
    }

    private static CharacterUpdated Updated(AuditContext context, Guid projectId, CharacterResponse character, string change) =>
        new(Guid.CreateVersion7(), context.CorrelationId, DateTimeOffset.UtcNow, context.Actor, projectId, character.Id, change,
            character.Source, character.Overrides, character.Name, character.Aliases, character.Role, character.Facts);

    private static async Task<CharacterResponse?> LoadAsync(NpgsqlTransaction transaction, BibleScope scope, Guid characterId, CancellationToken cancellationToken) =>
        scope.ProjectId is { } projectId
            ? (await transaction.Connection!.QueryAsync<CharacterRow>(new CommandDefinition(
                $"SELECT {Columns}, 'book' AS Source FROM characters c WHERE c.id = @Id AND c.project_id = @ProjectId FOR UPDATE",
                new { Id = characterId, ProjectId = projectId }, transaction, cancellationToken: cancellationToken))).SingleOrDefault()?.ToResponse()
            : (await OfSeriesAsync(transaction.Connection!, scope.SeriesId!.Value, characterId, transaction, cancellationToken)).SingleOrDefault();

    internal static async Task<IReadOnlyList<CharacterResponse>> EffectiveAsync(
        NpgsqlConnection connection, Guid projectId, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<CharacterRow>(new CommandDefinition(
            EffectiveForBook, new { ProjectId = projectId }, transaction, cancellationToken: cancellationToken))).Select(row => row.ToResponse()).ToList();

    private static async Task<IReadOnlyList<CharacterResponse>> OfSeriesAsync(
        NpgsqlConnection connection, Guid seriesId, Guid? characterId, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<CharacterRow>(new CommandDefinition(
            $"""
            SELECT {Columns}, 'series' AS Source FROM characters c
            WHERE c.series_id = @SeriesId AND (@CharacterId::uuid IS NULL OR c.id = @CharacterId)
            ORDER BY c.name, c.id
            """,
            new { SeriesId = seriesId, CharacterId = characterId }, transaction, cancellationToken: cancellationToken))).Select(row => row.ToResponse()).ToList();

    private static ProblemException NotFound(Guid characterId) => ProblemException.NotFound($"Character {characterId} does not exist here.");

    private sealed class CharacterRow
    {
        public Guid Id { get; init; }
        public Guid? Overrides { get; init; }
        public string Name { get; init; } = "";
        public string[] Aliases { get; init; } = [];
        public string? Description { get; init; }
        public string Role { get; init; } = "";
        public string? Arc { get; init; }
        public string[] Traits { get; init; } = [];
        public string Facts { get; init; } = "[]";
        public int Version { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public string Source { get; init; } = "";

        public CharacterResponse ToResponse() =>
            new(Id, Source, Overrides, Name, Aliases, Description, Role, Arc, Traits, BibleScope.ParseFacts(Facts), Version, CreatedAt, UpdatedAt);
    }
}
