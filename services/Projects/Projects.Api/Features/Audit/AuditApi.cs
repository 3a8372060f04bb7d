using System.Text.Json;
using Dapper;
using Folio.Contracts;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.Audit;

public sealed record AuditEntryResponse(
    long Id,
    string ResourceType,
    string ResourceId,
    string Action,
    string Field,
    JsonElement? OldValue,
    JsonElement? NewValue,
    Actor Actor,
    Guid CorrelationId,
    DateTime OccurredAt);

public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Items, string? NextCursor);

/// <summary>Filters of an audit page: a resource type, one resource, one field; the cursor is the last entry id seen.</summary>
public sealed record AuditQuery(string? ResourceType, string? ResourceId, string? Field, string? Cursor, int? Limit)
{
    /// <summary>The scope of rows that belong to no book or series: the caller's own settings.</summary>
    public const string Personal = "personal";

    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    /// <summary>Newest first, within a project (<c>project_id</c>), a series (<c>series_id</c>) or a writer's own trail (<see cref="Personal"/>).</summary>
    public async Task<AuditPageResponse> PageAsync(NpgsqlConnection connection, string scopeColumn, Guid scopeId, CancellationToken cancellationToken)
    {
        var scope = scopeColumn == Personal ? "owner_id = @ScopeId AND project_id IS NULL AND series_id IS NULL" : $"{scopeColumn} = @ScopeId";
        long? after = null;
        if (Cursor is not null)
        {
            after = long.TryParse(Cursor, out var id) && id > 0 ? id : throw ProblemException.BadRequest($"Cursor '{Cursor}' is not one this API returned.");
        }

        if (Limit is < 1 or > MaxLimit)
        {
            throw ProblemException.BadRequest($"Limit must be between 1 and {MaxLimit}.");
        }

        var limit = Limit ?? DefaultLimit;
        var rows = (await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, resource_type AS ResourceType, resource_id AS ResourceId, action AS Action, field AS Field,
                   old_value::text AS OldValue, new_value::text AS NewValue, actor_kind AS ActorKind, actor_id AS ActorId,
                   actor_name AS ActorName, correlation_id AS CorrelationId, occurred_at AS OccurredAt
            FROM audit_log
            WHERE {scope}
              AND (@After::bigint IS NULL OR id < @After)
              AND (@ResourceType::text IS NULL OR resource_type = @ResourceType)
              AND (@ResourceId::text IS NULL OR resource_id = @ResourceId)
              AND (@Field::text IS NULL OR field = @Field)
            ORDER BY id DESC
            LIMIT @Take
            """,
            new { ScopeId = scopeId, After = after, ResourceType, ResourceId, Field, Take = limit + 1 },
            cancellationToken: cancellationToken))).ToList();

        var page = rows.Take(limit).Select(row => row.ToResponse()).ToList();
        return new AuditPageResponse(page, rows.Count > limit ? page[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    private sealed class AuditRow
    {
        public long Id { get; init; }
        public string ResourceType { get; init; } = "";
        public string ResourceId { get; init; } = "";
        public string Action { get; init; } = "";
        public string Field { get; init; } = "";
        public string? OldValue { get; init; }
        public string? NewValue { get; init; }
        public string ActorKind { get; init; } = "";
        public string ActorId { get; init; } = "";
        public string? ActorName { get; init; }
        public Guid CorrelationId { get; init; }
        public DateTime OccurredAt { get; init; }

        public AuditEntryResponse ToResponse() => new(
            Id, ResourceType, ResourceId, Action, Field, Parse(OldValue), Parse(NewValue),
            new Actor(Enum.Parse<ActorKind>(ActorKind, ignoreCase: true), ActorId, ActorName), CorrelationId, OccurredAt);

        private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
    }
}

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapOwnedProjectGroup("/audit", "Audit").MapGet("/", ProjectAuditAsync);
        return app;
    }

    private static async Task<Ok<AuditPageResponse>> ProjectAuditAsync(
        Guid projectId, [AsParameters] AuditQuery query, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await query.PageAsync(connection, "project_id", projectId, cancellationToken));
    }
}
