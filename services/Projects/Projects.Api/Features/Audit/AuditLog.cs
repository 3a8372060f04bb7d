using Npgsql;
using NpgsqlTypes;

namespace Folio.Projects.Api.Features.Audit;

/// <summary>
/// Writes the field-level audit trail in the caller's transaction, so a change and its record commit or vanish together.
/// Snapshots are the resource as the API shows it (without its version), null before creation and after deletion.
/// </summary>
public static class AuditLog
{
    public static async Task RecordAsync<T>(
        NpgsqlTransaction transaction, AuditContext context, AuditTarget target, T? before, T? after, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        Append(batch, context, target, before, after);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The same as a command of the caller's batch, which must run in the change's transaction; nothing when no field changed.</summary>
    public static void Append<T>(NpgsqlBatch batch, AuditContext context, AuditTarget target, T? before, T? after)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        var changes = FieldChanges.Between(before, after);
        if (changes.Count == 0)
        {
            return;
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO audit_log (owner_id, project_id, series_id, resource_type, resource_id, action, field,
                                   old_value, new_value, actor_kind, actor_id, actor_name, correlation_id)
            SELECT @OwnerId, @ProjectId, @SeriesId, @ResourceType, @ResourceId, @Action, change.field,
                   change.old_value::jsonb, change.new_value::jsonb, @ActorKind, @ActorId, @ActorName, @CorrelationId
            FROM unnest(@Fields, @OldValues, @NewValues) AS change(field, old_value, new_value)
            """)
        {
            Parameters =
            {
                new("OwnerId", context.OwnerId),
                new("ProjectId", NpgsqlDbType.Uuid) { Value = (object?)target.ProjectId ?? DBNull.Value },
                new("SeriesId", NpgsqlDbType.Uuid) { Value = (object?)target.SeriesId ?? DBNull.Value },
                new("ResourceType", target.ResourceType),
                new("ResourceId", target.ResourceId),
                new("Action", before is null ? "created" : after is null ? "deleted" : "updated"),
                new("Fields", changes.Select(change => change.Field).ToArray()),
                new("OldValues", changes.Select(change => change.OldValue).ToArray()),
                new("NewValues", changes.Select(change => change.NewValue).ToArray()),
                new("ActorKind", context.Actor.Kind.ToString().ToLowerInvariant()),
                new("ActorId", context.Actor.Id),
                new("ActorName", (object?)context.Actor.DisplayName ?? DBNull.Value),
                new("CorrelationId", context.CorrelationId),
            },
        });
    }
}
