using Dapper;
using Folio.Contracts.Projects;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Folio.Export.Api;

/// <summary>A deleted book's export jobs go with it.</summary>
public sealed class ProjectDeletedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ProjectDeleted>(db)
{
    protected override Task HandleAsync(ConsumeContext<ProjectDeleted> context, NpgsqlTransaction transaction) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "DELETE FROM export_jobs WHERE project_id = @ProjectId AND owner_id = @OwnerId",
            new { context.Message.ProjectId, context.Message.OwnerId }, transaction, cancellationToken: context.CancellationToken));
}
