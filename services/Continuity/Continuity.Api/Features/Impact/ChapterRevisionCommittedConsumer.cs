using Dapper;
using Folio.Contracts.Versioning;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Continuity.Api.Features.Impact;

/// <summary>
/// A commit on <c>main</c> makes the changed chapters and the later chapters sharing their characters stale. With the project's
/// <c>autoRecheck</c> on, the book is then due for a re-check pass (<see cref="DueRechecks"/>) once it has been quiet for
/// <see cref="AutoRecheckOptions.QuietPeriod"/>; otherwise the chapters wait in the propagation debt for a writer's request.
/// </summary>
public sealed class ChapterRevisionCommittedConsumer(NpgsqlDataSource db, DueRechecks rechecks, IOptions<AutoRecheckOptions> options)
    : IdempotentConsumer<ChapterRevisionCommitted>(db)
{
    public const string TrackedBranch = "main";

    protected override async Task HandleAsync(ConsumeContext<ChapterRevisionCommitted> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        if (message.Branch != TrackedBranch)
        {
            return;
        }

        var autoRecheck = await transaction.Connection!.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            "SELECT auto_recheck FROM projects WHERE project_id = @ProjectId", new { message.ProjectId }, transaction, cancellationToken: cancellationToken));
        if (autoRecheck is null)
        {
            return;
        }

        var committedAt = message.OccurredAt.ToUniversalTime();
        foreach (var change in message.Changes.Where(change => change.ChangeKind != "removed"))
        {
            await ChangeImpact.MarkAsync(transaction, message.ProjectId, change.ChapterId, message.CommitId, committedAt, cancellationToken);
        }

        if (autoRecheck.Value)
        {
            await DueRechecks.ScheduleAsync(transaction, message.ProjectId, message.CommitId, committedAt, message.CorrelationId, options.Value, cancellationToken);
        }
    }

    protected override void Committed(ConsumeContext<ChapterRevisionCommitted> context)
    {
        if (context.Message.Branch == TrackedBranch)
        {
            rechecks.Wake();
        }
    }
}
