using Dapper;
using Folio.Contracts.Projects;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using MassTransit;
using Npgsql;

namespace Folio.Versioning.Api.Features.Repositories;

/// <summary>A deleted book takes its whole repository with it: branches, commits, versions, drafts, locks, settings and texts.</summary>
public sealed class ProjectDeletedConsumer(NpgsqlDataSource db, RememberedOwnership owners) : IdempotentConsumer<ProjectDeleted>(db)
{
    protected override async Task HandleAsync(ConsumeContext<ProjectDeleted> context, NpgsqlTransaction transaction)
    {
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            SELECT set_config('folio.deleting_project', @ProjectId::text, true);
            DELETE FROM repositories WHERE project_id = @ProjectId AND owner_id = @OwnerId;
            """,
            new { context.Message.ProjectId, context.Message.OwnerId },
            transaction,
            cancellationToken: context.CancellationToken));
    }

    protected override void Committed(ConsumeContext<ProjectDeleted> context) => owners.Forget(context.Message.ProjectId);
}
