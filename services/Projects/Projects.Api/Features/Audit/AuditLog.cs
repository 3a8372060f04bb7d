using Dapper;
using Npgsql;

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
        var changes = FieldChanges.Between(before, after);
        if (changes.Count == 0)
        {
            return;
        }

        var action = before is null ? "created" : after is null ? "deleted" : "updated";
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (owner_id, project_id, series_id, resource_type, resource_id, action, field,
                                   old_value, new_value, actor_kind, actor_id, actor_name, correlation_id)
            SELECT @OwnerId, @ProjectId, @SeriesId, @ResourceType, @ResourceId, @Action, change.field,
                   change.old_value::jsonb, change.new_value::jsonb, @ActorKind, @ActorId, @ActorName, @CorrelationId
            FROM unnest(@Fields, @OldValues, @NewValues) AS change(field, old_value, new_value)
            """,
            new
            {
                context.OwnerId,
                target.ProjectId,
                target.SeriesId,
                target.ResourceType,
                target.ResourceId,
                Action = action,
                Fields = changes.Select(change => change.Field).ToArray(),
                OldValues = changes.Select(change => change.OldValue).ToArray(),
                NewValues = changes.Select(change => change.NewValue).ToArray(),
                ActorKind = context.Actor.Kind.ToString().ToLowerInvariant(),
                ActorId = context.Actor.Id,
                ActorName = context.Actor.DisplayName,
                context.CorrelationId,
            },
            transaction,
            cancellationToken: cancellationToken));
    }
}
