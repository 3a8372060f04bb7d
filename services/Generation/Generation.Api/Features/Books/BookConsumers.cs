using Dapper;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
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
public sealed class BookDeletedConsumer(NpgsqlDataSource db, RememberedOwnership owners) : IdempotentConsumer<ProjectDeleted>(db)
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

    protected override void Committed(ConsumeContext<ProjectDeleted> context) => owners.Forget(context.Message.ProjectId);
}

/// <summary>
/// Moves a book's plan revision when Projects announces a change to what the agents are told (details, bible, chapters,
/// characters, world), so a running job reads the plan again before its next step (<see cref="Jobs.BookSource"/>). The
/// saga's own chapter updates (the status and brief of a chapter it has just written) do not count: no later step reads them.
/// </summary>
public sealed class PlanChangedConsumer(NpgsqlDataSource db) :
    IConsumer<ProjectUpdated>, IConsumer<StoryBibleUpdated>, IConsumer<ChapterAdded>, IConsumer<ChapterUpdated>, IConsumer<ChapterDeleted>,
    IConsumer<ChaptersReordered>, IConsumer<CharacterUpdated>, IConsumer<CharacterDeleted>, IConsumer<WorldEntryUpdated>
{
    public Task Consume(ConsumeContext<ProjectUpdated> context) => RevisedAsync(context.Message.ProjectId, context.CancellationToken);

    public Task Consume(ConsumeContext<StoryBibleUpdated> context) => RevisedAsync(context.Message.ProjectId, context.CancellationToken);

    public Task Consume(ConsumeContext<ChapterAdded> context) => RevisedAsync(context.Message.ProjectId, context.CancellationToken);

    public Task Consume(ConsumeContext<ChapterUpdated> context) =>
        context.Message.Actor is { Kind: ActorKind.Agent, Id: ProjectsBook.AgentName } ? Task.CompletedTask : RevisedAsync(context.Message.ProjectId, context.CancellationToken);

    public Task Consume(ConsumeContext<ChapterDeleted> context) => RevisedAsync(context.Message.ProjectId, context.CancellationToken);

    public Task Consume(ConsumeContext<ChaptersReordered> context) => RevisedAsync(context.Message.ProjectId, context.CancellationToken);

    public Task Consume(ConsumeContext<CharacterUpdated> context) => RevisedAsync(context.Message.ProjectId, context.CancellationToken);

    public Task Consume(ConsumeContext<CharacterDeleted> context) => RevisedAsync(context.Message.ProjectId, context.CancellationToken);

    public Task Consume(ConsumeContext<WorldEntryUpdated> context) => RevisedAsync(context.Message.ProjectId, context.CancellationToken);

    /// <summary>A redelivered announcement moves it once more, which costs one extra read and nothing else.</summary>
    private async Task RevisedAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE books SET plan_revision = plan_revision + 1 WHERE project_id = @projectId", new { projectId }, cancellationToken: cancellationToken));
    }
}
