using Dapper;
using Folio.Contracts.Projects;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Folio.Generation.Api.Features.Books;

public sealed class BookCreatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ProjectCreated>(db)
{
    protected override Task HandleAsync(ConsumeContext<ProjectCreated> context, NpgsqlTransaction transaction) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "INSERT INTO books (project_id, owner_id, created_at) VALUES (@ProjectId, @OwnerId, @OccurredAt) ON CONFLICT (project_id) DO NOTHING",
            new { context.Message.ProjectId, context.Message.OwnerId, context.Message.OccurredAt }, transaction, cancellationToken: context.CancellationToken));
}

/// <summary>A deleted book takes its agent runs, jobs, summaries and provider settings with it.</summary>
public sealed class BookDeletedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ProjectDeleted>(db)
{
    protected override Task HandleAsync(ConsumeContext<ProjectDeleted> context, NpgsqlTransaction transaction) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM agent_runs WHERE project_id = @ProjectId;
            DELETE FROM generation_jobs WHERE project_id = @ProjectId;
            DELETE FROM chapter_summaries WHERE project_id = @ProjectId;
            DELETE FROM project_provider_settings WHERE project_id = @ProjectId;
            DELETE FROM books WHERE project_id = @ProjectId;
            """,
            new { context.Message.ProjectId }, transaction, cancellationToken: context.CancellationToken));
}
