using Dapper;
using Folio.Projects.Api.Features.Audit;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.Appearances;

public static class AppearancesApi
{
    private const string SelectAppearance =
        """
        SELECT id AS Id, character_id AS CharacterId, chapter AS Chapter, role AS Role, emotional_state AS EmotionalState,
               source AS Source, status AS Status, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM character_appearances
        """;

    public static IEndpointRouteBuilder MapAppearanceEndpoints(this IEndpointRouteBuilder app)
    {
        var appearances = app.MapOwnedProjectGroup("/appearances", "Appearances");
        appearances.MapGet("/", ListAsync);
        appearances.MapPost("/", CreateAsync).WithValidation<AppearanceRequest>();
        appearances.MapPost("/{appearanceId:guid}/accept", AcceptAsync);
        appearances.MapPost("/{appearanceId:guid}/reject", RejectAsync);
        appearances.MapDelete("/{appearanceId:guid}", DeleteAsync);

        app.MapOwnedProjectGroup("/characters/{characterId:guid}/appearances", "Appearances").MapGet("/", ListForCharacterAsync);
        return app;
    }

    private static async Task<Ok<AppearanceListResponse>> ListAsync(
        Guid projectId, int? chapter, Guid? characterId, string? status, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        if (chapter is < 1)
        {
            throw ProblemException.BadRequest("chapter starts at 1.");
        }

        if (status is not null and not ("suggested" or "accepted" or "rejected"))
        {
            throw ProblemException.BadRequest("status is suggested, accepted or rejected.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<AppearanceResponse>(new CommandDefinition(
            SelectAppearance +
            """

            WHERE project_id = @ProjectId
              AND (@Chapter::int IS NULL OR chapter = @Chapter)
              AND (@CharacterId::uuid IS NULL OR character_id = @CharacterId)
              AND (@Status::text IS NULL OR status = @Status)
            ORDER BY chapter, character_id, source
            """,
            new { ProjectId = projectId, Chapter = chapter, CharacterId = characterId, Status = status }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new AppearanceListResponse(items.ToList()));
    }

    private static Task<Ok<AppearanceListResponse>> ListForCharacterAsync(Guid projectId, Guid characterId, NpgsqlDataSource db, CancellationToken cancellationToken) =>
        ListAsync(projectId, null, characterId, null, db, cancellationToken);

    private static async Task<Created<AppearanceResponse>> CreateAsync(
        Guid projectId, AppearanceRequest request, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var appearance = await InsertAsync(transaction, AuditContext.FromRequest(http, user), projectId, request,
            request.Source == "extraction" ? "suggested" : "accepted", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{projectId}/appearances/{appearance.Id}", appearance);
    }

    /// <summary>Records an appearance of a character of the book's bible (422 otherwise), once per chapter and source (409), with its audit entry.</summary>
    internal static async Task<AppearanceResponse> InsertAsync(
        NpgsqlTransaction transaction, AuditContext audit, Guid projectId, AppearanceRequest request, string status, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var inBible = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (
                SELECT 1 FROM characters c
                WHERE c.id = @CharacterId
                  AND (c.project_id = @ProjectId OR c.series_id = (SELECT series_id FROM series_books WHERE project_id = @ProjectId)))
            """,
            new { request.CharacterId, ProjectId = projectId }, transaction, cancellationToken: cancellationToken));
        if (!inBible)
        {
            throw ProblemException.Unprocessable($"Character {request.CharacterId} is not in this book's bible.");
        }

        var source = request.Source ?? "manual";
        var appearance = await connection.QuerySingleOrDefaultAsync<AppearanceResponse>(new CommandDefinition(
            """
            INSERT INTO character_appearances (id, project_id, character_id, chapter, role, emotional_state, source, status)
            VALUES (@Id, @ProjectId, @CharacterId, @Chapter, @Role, @EmotionalState, @Source, @Status)
            ON CONFLICT (project_id, chapter, character_id, source) DO NOTHING
            RETURNING id AS Id, character_id AS CharacterId, chapter AS Chapter, role AS Role, emotional_state AS EmotionalState,
                      source AS Source, status AS Status, created_at AS CreatedAt, updated_at AS UpdatedAt
            """,
            new
            {
                Id = Guid.CreateVersion7(),
                ProjectId = projectId,
                request.CharacterId,
                request.Chapter,
                request.Role,
                request.EmotionalState,
                Source = source,
                Status = status,
            },
            transaction,
            cancellationToken: cancellationToken))
            ?? throw ProblemException.Conflict($"Character {request.CharacterId} already has a {source} appearance in chapter {request.Chapter}.");
        await AuditLog.RecordAsync(transaction, audit, AuditTarget.InProject(projectId, "appearance", appearance.Id), null, appearance.Snapshot(), cancellationToken);
        return appearance;
    }

    private static Task<Ok<AppearanceResponse>> AcceptAsync(Guid projectId, Guid appearanceId, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken) =>
        DecideAsync(projectId, appearanceId, "accepted", db, user, http, cancellationToken);

    private static Task<Ok<AppearanceResponse>> RejectAsync(Guid projectId, Guid appearanceId, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken) =>
        DecideAsync(projectId, appearanceId, "rejected", db, user, http, cancellationToken);

    /// <summary>Only an extractor's suggestion is decided, once; a second decision is a conflict rather than a silent flip.</summary>
    private static async Task<Ok<AppearanceResponse>> DecideAsync(
        Guid projectId, Guid appearanceId, string status, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await LockAsync(transaction, projectId, appearanceId, cancellationToken);
        if (before.Status != "suggested")
        {
            throw ProblemException.Conflict($"Appearance {appearanceId} is {before.Status}; only suggested appearances can be accepted or rejected.");
        }

        var after = await connection.QuerySingleAsync<AppearanceResponse>(new CommandDefinition(
            """
            UPDATE character_appearances SET status = @Status, updated_at = now() WHERE id = @Id
            RETURNING id AS Id, character_id AS CharacterId, chapter AS Chapter, role AS Role, emotional_state AS EmotionalState,
                      source AS Source, status AS Status, created_at AS CreatedAt, updated_at AS UpdatedAt
            """,
            new { Id = appearanceId, Status = status }, transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync(
            transaction, AuditContext.FromRequest(http, user), AuditTarget.InProject(projectId, "appearance", appearanceId), before.Snapshot(), after.Snapshot(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(after);
    }

    private static async Task<NoContent> DeleteAsync(Guid projectId, Guid appearanceId, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await LockAsync(transaction, projectId, appearanceId, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM character_appearances WHERE id = @Id", new { Id = appearanceId }, transaction, cancellationToken: cancellationToken));
        await AuditLog.RecordAsync<AppearanceSnapshot>(
            transaction, AuditContext.FromRequest(http, user), AuditTarget.InProject(projectId, "appearance", appearanceId), before.Snapshot(), null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<AppearanceResponse> LockAsync(NpgsqlTransaction transaction, Guid projectId, Guid appearanceId, CancellationToken cancellationToken) =>
        await transaction.Connection!.QuerySingleOrDefaultAsync<AppearanceResponse>(new CommandDefinition(
            SelectAppearance + " WHERE id = @Id AND project_id = @ProjectId FOR UPDATE",
            new { Id = appearanceId, ProjectId = projectId }, transaction, cancellationToken: cancellationToken))
        ?? throw ProblemException.NotFound($"Appearance {appearanceId} does not exist.");
}
