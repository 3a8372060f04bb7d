using Dapper;
using Folio.Contracts.Projects;
using Folio.Export.Api.Features.Storage;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using MassTransit;
using Npgsql;

namespace Folio.Export.Api;

/// <summary>A deleted book's export jobs, files, covers and metadata go with it.</summary>
public sealed class ProjectDeletedConsumer(NpgsqlDataSource db, IExportStorage storage, RememberedOwnership owners) : IdempotentConsumer<ProjectDeleted>(db)
{
    protected override async Task HandleAsync(ConsumeContext<ProjectDeleted> context, NpgsqlTransaction transaction)
    {
        var parameters = new { context.Message.ProjectId, context.Message.OwnerId };
        var keys = await transaction.Connection!.QueryAsync<string>(new CommandDefinition(
            """
            WITH deleted AS (DELETE FROM export_jobs WHERE project_id = @ProjectId AND owner_id = @OwnerId RETURNING storage_key, cover_key)
            SELECT storage_key FROM deleted UNION ALL SELECT cover_key FROM deleted;
            """, parameters, transaction, cancellationToken: context.CancellationToken));
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM export_chapters WHERE project_id = @ProjectId AND EXISTS (SELECT 1 FROM export_books WHERE project_id = @ProjectId AND owner_id = @OwnerId);
            DELETE FROM export_book_series WHERE project_id = @ProjectId AND EXISTS (SELECT 1 FROM export_books WHERE project_id = @ProjectId AND owner_id = @OwnerId);
            DELETE FROM export_books WHERE project_id = @ProjectId AND owner_id = @OwnerId;
            """, parameters, transaction, cancellationToken: context.CancellationToken));
        foreach (var key in keys.Where(key => key is not null))
        {
            await storage.DeleteAsync(key, context.CancellationToken);
        }
    }

    protected override void Committed(ConsumeContext<ProjectDeleted> context) => owners.Forget(context.Message.ProjectId);
}
