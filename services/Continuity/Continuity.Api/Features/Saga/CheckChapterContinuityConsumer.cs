using Dapper;
using Folio.Continuity.Api.Features.Checks;
using Folio.Continuity.Core;
using Folio.Contracts;
using Folio.Contracts.Continuity;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using MassTransit;
using Npgsql;

namespace Folio.Continuity.Api.Features.Saga;

/// <summary>
/// The generation saga's continuity step. The chapter is read at the requested commit as the book's owner, checked (against the brief it was written
/// from, or the one Projects holds when the request carries none), stored like any check,
/// and answered in the same transaction: <c>pass</c> (no errors), <c>revise</c> (errors, with the findings), or <c>stop</c> when a human must look:
/// the text cannot be read, or the revision left the previous check's errors in place. Time is bounded by the Versioning deadline (5 s) plus the
/// rules (well under a second even for a 200,000-word chapter).
/// </summary>
public sealed class CheckChapterContinuityConsumer(NpgsqlDataSource db, CheckRunner runner, TokenIssuer tokens, IOutbox outbox, TimeProvider clock)
    : IdempotentConsumer<CheckChapterContinuity>(db)
{
    public const string Pass = "pass";
    public const string Revise = "revise";
    public const string Stop = "stop";

    protected override async Task HandleAsync(ConsumeContext<CheckChapterContinuity> context, NpgsqlTransaction transaction)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        var connection = transaction.Connection!;
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO projects (project_id, owner_id) VALUES (@ProjectId, @OwnerId) ON CONFLICT (project_id) DO NOTHING",
            new { message.ProjectId, message.OwnerId }, transaction, cancellationToken: cancellationToken));
        var previous = await connection.QuerySingleOrDefaultAsync<CheckRunRow>(new CommandDefinition(
            $"""
            SELECT {CheckRunRow.Columns} FROM check_runs
            WHERE project_id = @ProjectId AND chapter_id = @ChapterId AND trigger = '{CheckTriggers.Saga}' ORDER BY created_at DESC LIMIT 1
            """,
            new { message.ProjectId, message.ChapterId }, transaction, cancellationToken: cancellationToken));

        var token = tokens.IssueOnBehalfOf(message.OwnerId, "continuity", TimeSpan.FromMinutes(2)).Token;
        var (_, run) = await runner.RunAsync(transaction, new CheckRequest(message.ProjectId, message.ChapterId, message.ChapterNumber, message.CommitId, token,
            CheckTriggers.Saga, message.Brief is { } brief ? new ChapterBrief(brief.Beats, brief.PointOfView) : null, Actor.System("continuity"), message.CorrelationId,
            message.TargetLength), cancellationToken);

        var answer = run is null
            ? Answer(message, Guid.Empty, CheckStatuses.Error, Stop,
                [new ContinuityFinding("continuity.source", Severities.Error, 0, "", $"Chapter {message.ChapterId} has no text at commit {message.CommitId}.", null)])
            : Answer(message, run.Id, run.Status, Verdict(run, previous?.ToRun()),
                run.Violations.Select(violation => new ContinuityFinding(violation.Rule, violation.Severity, violation.Location.Line, violation.Location.Text, violation.Description, violation.Suggestion)).ToList());
        await outbox.EnqueueAsync(transaction, answer, message.ProjectId.ToString(), cancellationToken);
    }

    private static string Verdict(CheckRun run, CheckRun? previous)
    {
        if (run.Status != CheckStatuses.Error)
        {
            return Pass;
        }

        var errors = Errors(run);
        return previous is not null && previous.Commit != run.Commit && errors.IsSubsetOf(Errors(previous)) ? Stop : Revise;
    }

    private static HashSet<string> Errors(CheckRun run) =>
        run.Violations.Where(violation => violation.Severity == Severities.Error).Select(violation => violation.Fingerprint).ToHashSet(StringComparer.Ordinal);

    private ChapterContinuityChecked Answer(CheckChapterContinuity request, Guid checkId, string status, string verdict, IReadOnlyList<ContinuityFinding> findings) =>
        new(Guid.NewGuid(), request.CorrelationId, clock.GetUtcNow(), Actor.System("continuity"), request.RequestId, request.ProjectId, request.ChapterId,
            request.CommitId, checkId, status, verdict, findings);
}
