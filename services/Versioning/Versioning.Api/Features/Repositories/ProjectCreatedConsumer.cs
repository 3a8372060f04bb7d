using Dapper;
using Folio.Contracts.Projects;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace Folio.Versioning.Api.Features.Repositories;

/// <summary>Every new book gets its repository with an empty <c>main</c> branch.</summary>
public sealed class ProjectCreatedConsumer(NpgsqlDataSource db) : IdempotentConsumer<ProjectCreated>(db)
{
    public const string DefaultBranch = "main";

    protected override Task HandleAsync(ConsumeContext<ProjectCreated> context, NpgsqlTransaction transaction) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO repositories (project_id, owner_id, default_branch, created_at)
            VALUES (@ProjectId, @OwnerId, @DefaultBranch, @OccurredAt)
            ON CONFLICT (project_id) DO NOTHING;
            INSERT INTO branches (project_id, name, created_at, updated_at)
            VALUES (@ProjectId, @DefaultBranch, @OccurredAt, @OccurredAt)
            ON CONFLICT (project_id, name) DO NOTHING;
            """,
            new { context.Message.ProjectId, context.Message.OwnerId, DefaultBranch, context.Message.OccurredAt },
            transaction,
            cancellationToken: context.CancellationToken));
}
