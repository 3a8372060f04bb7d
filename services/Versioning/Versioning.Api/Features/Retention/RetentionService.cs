using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Versioning.Api.Features.Retention;

public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>How often each book's retention policy runs; zero turns the background run off (the API still runs it).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Runs every book's retention policy once per interval, oldest run first; any instance may do it (the runner locks per book).</summary>
public sealed partial class RetentionService(NpgsqlDataSource db, RetentionRunner runner, IOptions<RetentionOptions> options, ILogger<RetentionService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Max(interval.Ticks / 10, TimeSpan.TicksPerSecond)));
        do
        {
            try
            {
                await RunDueAsync(interval, stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                LogRunFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunDueAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> due;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<Guid>(new CommandDefinition(
                """
                SELECT r.project_id FROM repositories r
                LEFT JOIN repository_settings s ON s.project_id = r.project_id
                WHERE s.last_retention_run_at IS NULL OR s.last_retention_run_at < now() - @interval
                ORDER BY s.last_retention_run_at NULLS FIRST
                LIMIT 100
                """,
                new { interval }, cancellationToken: cancellationToken))).ToList();
        }

        foreach (var projectId in due)
        {
            var result = await runner.RunAsync(projectId, dryRun: false, cancellationToken);
            if (result.CommitsPruned > 0)
            {
                LogPruned(projectId, result.CommitsPruned, result.GarbageCollection?.BytesBefore - result.GarbageCollection?.BytesAfter ?? 0);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention pruned {Commits} commits of project {ProjectId}, reclaiming {Bytes} bytes")]
    private partial void LogPruned(Guid projectId, int commits, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed; it will be retried")]
    private partial void LogRunFailed(Exception exception);
}
