using Dapper;
using Folio.Continuity.Api.Features.Checks;
using Folio.Contracts;
using Folio.Contracts.Versioning;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using MassTransit;
using Npgsql;

namespace Folio.Continuity.Api.Features.Impact;

/// <summary>
/// A commit on <c>main</c> makes the changed chapters and the later chapters sharing their characters stale. With the project's
/// <c>autoRecheck</c> on, they are checked at the new commit straight away (at most <see cref="MaxRechecks"/> per commit; the rest stay
/// in the propagation debt), as the owner through a short-lived service token; otherwise they wait in the debt for a writer's request.
/// </summary>
public sealed class ChapterRevisionCommittedConsumer(NpgsqlDataSource db, CheckRunner runner, TokenIssuer tokens) : IdempotentConsumer<ChapterRevisionCommitted>(db)
{
    public const string TrackedBranch = "main";
    public const int MaxRechecks = 20;

    protected override async Task HandleAsync(ConsumeContext<ChapterRevisionCommitted> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        if (message.Branch != TrackedBranch)
        {
            return;
        }

        var project = await transaction.Connection!.QuerySingleOrDefaultAsync<(Guid OwnerId, bool AutoRecheck)>(new CommandDefinition(
            "SELECT owner_id, auto_recheck FROM projects WHERE project_id = @ProjectId", new { message.ProjectId }, transaction, cancellationToken: cancellationToken));
        if (project.OwnerId == Guid.Empty)
        {
            return;
        }

        var stale = new List<Guid>();
        foreach (var change in message.Changes.Where(change => change.ChangeKind != "removed"))
        {
            stale.AddRange(await ChangeImpact.MarkAsync(transaction, message.ProjectId, change.ChapterId, message.CommitId, cancellationToken));
        }

        if (!project.AutoRecheck)
        {
            return;
        }

        var token = tokens.IssueOnBehalfOf(project.OwnerId, "continuity", TimeSpan.FromMinutes(2)).Token;
        var changed = message.Changes.Select(change => change.ChapterId).ToHashSet();
        foreach (var chapterId in stale.Distinct().Take(MaxRechecks))
        {
            await runner.RunAsync(transaction, new CheckRequest(message.ProjectId, chapterId, null, message.CommitId, token,
                changed.Contains(chapterId) ? CheckTriggers.Revision : CheckTriggers.Recheck, null, Actor.System("continuity"), message.CorrelationId), cancellationToken);
        }
    }
}
