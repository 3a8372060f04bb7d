using Dapper;
using Folio.Continuity.Api.Features.Checks;
using Folio.Contracts;
using Folio.ServiceDefaults.Hosting;
using Folio.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Continuity.Api.Features.Impact;

/// <summary>Section <c>AutoRecheck</c>.</summary>
public sealed class AutoRecheckOptions
{
    public const string Section = "AutoRecheck";

    /// <summary>How long a book goes without a commit on main before its stale chapters are re-checked.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a book that keeps changing (a long generation job) waits for its next pass.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often passes made due on another replica are looked for; a commit consumed here wakes this one at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The share of its time a pass spends checking: between chapters it pauses (<see cref="DutyCycle"/>), so that a pass over a
    /// long book does not take the cores from the commits, requests and generation jobs someone is waiting for. 1 never pauses.
    /// </summary>
    public double PassShare { get; set; } = 0.25;
}

/// <summary>
/// The automatic re-checks of books with <c>autoRecheck</c> on. A commit on main marks chapters stale and makes the book due
/// (<see cref="ScheduleAsync"/>); once the book has been quiet for <see cref="AutoRecheckOptions.QuietPeriod"/>, or has waited
/// <see cref="AutoRecheckOptions.MaxWait"/>, one pass checks its stale chapters at the newest commit seen, as the owner through
/// a short-lived service token. A chapter changed by several commits of a burst is checked once, at the last, instead of once
/// per commit, and the checks stay out of the way of the commits still coming (a generation job's chapter after chapter).
/// Each commit still answers for its changed chapters and up to <see cref="MaxRechecksPerCommit"/> chapters in all; the rest
/// stay in the propagation debt. Replicas share the work: a pass claims its book for a lease.
/// </summary>
public sealed partial class DueRechecks(
    NpgsqlDataSource db, CheckRunner runner, TokenIssuer tokens, IOptions<AutoRecheckOptions> options, ILogger<DueRechecks> logger) : BackgroundService
{
    public const int MaxRechecksPerCommit = 20;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(250);

    private readonly Wakeup wakeup = new();

    private sealed record Claim(Guid ProjectId, string CommitId, DateTime CommittedAt, Guid CorrelationId, int Commits, long Generation);

    private sealed record StaleChapter(Guid ChapterId, bool Changed);

    /// <summary>Looks for due passes now (after a commit consumed here), not at the next poll.</summary>
    public void Wake() => wakeup.Set();

    /// <summary>In the transaction that marked the commit's stale chapters: the book is due once quiet, or after waiting long enough.</summary>
    public static Task ScheduleAsync(
        NpgsqlTransaction transaction, Guid projectId, string commitId, DateTimeOffset committedAt, Guid correlationId, AutoRecheckOptions options,
        CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO recheck_due AS due (project_id, commit_id, committed_at, correlation_id, commits, due_at)
            VALUES (@projectId, @commitId, @committedAt, @correlationId, 1, now() + @QuietPeriod)
            ON CONFLICT (project_id) DO UPDATE SET
                commit_id = CASE WHEN excluded.committed_at >= due.committed_at THEN excluded.commit_id ELSE due.commit_id END,
                correlation_id = CASE WHEN excluded.committed_at >= due.committed_at THEN excluded.correlation_id ELSE due.correlation_id END,
                committed_at = greatest(due.committed_at, excluded.committed_at),
                commits = due.commits + 1,
                generation = due.generation + 1,
                due_at = least(now() + @QuietPeriod, due.first_at + @MaxWait)
            """,
            new { projectId, commitId, committedAt, correlationId, options.QuietPeriod, options.MaxWait }, transaction, cancellationToken: cancellationToken));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.PollInterval;
            try
            {
                wait = await RunDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                LogLookFailed(exception);
            }

            await wakeup.WaitAsync(wait, stoppingToken);
        }
    }

    /// <summary>Runs the passes due now, one book after another.</summary>
    /// <returns>How long until the next one is due, at most the poll interval.</returns>
    public async Task<TimeSpan> RunDueAsync(CancellationToken cancellationToken)
    {
        while (await ClaimAsync(cancellationToken) is { } claim)
        {
            await PassAsync(claim, cancellationToken);
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var seconds = await connection.ExecuteScalarAsync<double?>(new CommandDefinition(
            "SELECT extract(epoch FROM min(greatest(due_at, coalesce(claimed_until, due_at))) - now())::float8 FROM recheck_due",
            cancellationToken: cancellationToken));
        var poll = options.Value.PollInterval;
        return seconds is null ? poll : TimeSpan.FromSeconds(Math.Clamp(seconds.Value, ShortestWait.TotalSeconds, poll.TotalSeconds));
    }

    private async Task<Claim?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Claim>(new CommandDefinition(
            """
            UPDATE recheck_due AS due SET claimed_until = now() + @Lease
            FROM (SELECT project_id FROM recheck_due
                  WHERE due_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
                  ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED) AS next
            WHERE due.project_id = next.project_id
            RETURNING due.project_id AS ProjectId, due.commit_id AS CommitId, due.committed_at AS CommittedAt, due.correlation_id AS CorrelationId,
                      due.commits AS Commits, due.generation AS Generation
            """,
            new { Lease }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Each chapter is checked in a transaction of its own, so a failure part way keeps the checks made before it, and the
    /// pass pauses between chapters to stay within its share of the time.
    /// </summary>
    private async Task PassAsync(Claim claim, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var finished = false;
        try
        {
            var project = await connection.QuerySingleOrDefaultAsync<(Guid OwnerId, bool AutoRecheck)>(new CommandDefinition(
                "SELECT owner_id, auto_recheck FROM projects WHERE project_id = @ProjectId", claim, cancellationToken: cancellationToken));
            var stale = project.AutoRecheck ? await StaleChaptersAsync(connection, claim, cancellationToken) : [];
            var committedAt = DateTime.SpecifyKind(claim.CommittedAt, DateTimeKind.Utc);
            var pace = new DutyCycle(options.Value.PassShare, LongestPause);
            foreach (var chapter in stale)
            {
                pace.Begin();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var token = tokens.IssueOnBehalfOf(project.OwnerId, "continuity", TimeSpan.FromMinutes(2)).Token;
                await runner.RunAsync(transaction, new CheckRequest(claim.ProjectId, chapter.ChapterId, null, claim.CommitId, token,
                    chapter.Changed ? CheckTriggers.Revision : CheckTriggers.Recheck, null, Actor.System("continuity"), claim.CorrelationId,
                    ClearsStaleUpTo: committedAt), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                await pace.PauseAsync(cancellationToken);
            }

            finished = true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogPassFailed(claim.ProjectId, exception);
        }
        finally
        {
            // Also when the service stops mid-pass, so the book does not wait out the lease.
            await ReleaseAsync(connection, claim, finished);
        }
    }

    /// <summary>The chapters the claimed commits made stale, changed ones first, within the commits' allowance; in reading order.</summary>
    private static async Task<IReadOnlyList<StaleChapter>> StaleChaptersAsync(NpgsqlConnection connection, Claim claim, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<StaleChapter>(new CommandDefinition(
            """
            SELECT chapter_id AS ChapterId, changed AS Changed FROM (
                SELECT stale.chapter_id, stale.caused_by_chapter_id = stale.chapter_id AS changed, chapter.number
                FROM stale_chapters AS stale JOIN chapters AS chapter ON chapter.project_id = stale.project_id AND chapter.chapter_id = stale.chapter_id
                WHERE stale.project_id = @ProjectId AND (stale.caused_at IS NULL OR stale.caused_at <= @CommittedAt)
                ORDER BY changed DESC, chapter.number
                LIMIT @Allowance
            ) AS picked
            ORDER BY number
            """,
            new { claim.ProjectId, CommittedAt = DateTime.SpecifyKind(claim.CommittedAt, DateTimeKind.Utc), Allowance = MaxRechecksPerCommit * claim.Commits },
            cancellationToken: cancellationToken))).ToList();

    /// <summary>
    /// A finished pass removes the book from the due list, unless a commit came in meanwhile: then the book is due again for
    /// those commits, once quiet and within the longest wait from now. A failed pass is tried again later.
    /// </summary>
    private Task<int> ReleaseAsync(NpgsqlConnection connection, Claim claim, bool finished) =>
        connection.ExecuteAsync(new CommandDefinition(
            finished
                ? """
                  WITH done AS (DELETE FROM recheck_due WHERE project_id = @ProjectId AND generation = @Generation RETURNING project_id)
                  UPDATE recheck_due
                  SET claimed_until = NULL, commits = greatest(1, commits - @Commits), first_at = now(),
                      due_at = least(greatest(committed_at + @QuietPeriod, now()), now() + @MaxWait)
                  WHERE project_id = @ProjectId AND NOT EXISTS (SELECT FROM done)
                  """
                : "UPDATE recheck_due SET claimed_until = NULL, due_at = now() + @RetryAfterFailure WHERE project_id = @ProjectId",
            new { claim.ProjectId, claim.Generation, claim.Commits, options.Value.QuietPeriod, options.Value.MaxWait, RetryAfterFailure },
            cancellationToken: CancellationToken.None));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for due continuity re-checks failed; looking again at the next poll")]
    private partial void LogLookFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The automatic continuity re-check of book {ProjectId} failed; it is tried again later")]
    private partial void LogPassFailed(Guid projectId, Exception exception);
}
