using Dapper;
using Folio.Contracts.Projects;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using MassTransit;
using Npgsql;

namespace Folio.Continuity.Api.Features.Projection;

/// <summary>A deleted book's checks, waivers, projection and settings go with it (the other tables cascade from <c>projects</c>).</summary>
public sealed class ProjectDeletedConsumer(NpgsqlDataSource db, RememberedOwnership owners) : IdempotentConsumer<ProjectDeleted>(db)
{
    protected override Task HandleAsync(ConsumeContext<ProjectDeleted> context, NpgsqlTransaction transaction) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM rule_settings WHERE project_id = @ProjectId; DELETE FROM projects WHERE project_id = @ProjectId",
            new { context.Message.ProjectId }, transaction, cancellationToken: context.CancellationToken));

    protected override void Committed(ConsumeContext<ProjectDeleted> context) => owners.Forget(context.Message.ProjectId);
}
