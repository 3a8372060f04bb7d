using Dapper;
using Folio.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Versioning.Api.Features.Content;

/// <summary>
/// Packs projects in the background once their loose objects reach a count or a size and the store has had no write for a
/// moment, or once they reach an age (see <see cref="ContentStoreOptions"/>), one project at a time so a repack never takes
/// more than one core. The store's quiet is asked again before each project, so commits that start mid-way are not kept
/// waiting behind the rest. Loose objects are only ever in the table until this runs, so finding the candidates and the
/// latest write is a scan of a small table. Several replicas may run it: the per-project maintenance lock serialises them,
/// and the second finds nothing left.
/// </summary>
public sealed partial class ContentRepacker(NpgsqlDataSource db, ContentStore store, IOptions<ContentStoreOptions> options, ILogger<ContentRepacker> logger)
    : BackgroundService
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.RepackInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            IReadOnlyList<Candidate> candidates;
            try
            {
                candidates = await CandidatesAsync(settings, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogUnavailable(exception);
                continue;
            }

            var pace = new DutyCycle(settings.RepackShare, LongestPause);
            foreach (var (projectId, overdue) in candidates)
            {
                try
                {
                    if (!overdue && await WrittenLatelyAsync(settings, stoppingToken))
                    {
                        continue;
                    }

                    pace.Begin();
                    var result = await store.RepackAsync(projectId, stoppingToken);
                    LogRepacked(projectId, result.LooseObjectsPacked, result.PacksRewritten, result.BytesBefore, result.BytesAfter);
                    await pace.PauseAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // One project's failure (say, a corrupt object) must not stop the others from being packed.
                    LogFailed(exception, projectId);
                }
            }
        }
    }

    private sealed record Candidate(Guid ProjectId, bool Overdue);

    private async Task<IReadOnlyList<Candidate>> CandidatesAsync(ContentStoreOptions settings, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var projects = await connection.QueryAsync<Candidate>(new CommandDefinition(
            """
            SELECT project_id AS ProjectId, min(written_at) <= now() - @age AS Overdue FROM content_objects
            GROUP BY project_id
            HAVING count(*) >= @objects OR sum(octet_length(data)) >= @bytes OR min(written_at) <= now() - @age
            ORDER BY min(written_at)
            """,
            new { objects = settings.RepackLooseObjects, bytes = settings.RepackLooseBytes, age = settings.RepackLooseAge },
            cancellationToken: cancellationToken));
        return projects.ToList();
    }

    private async Task<bool> WrittenLatelyAsync(ContentStoreOptions settings, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT FROM content_objects WHERE written_at > now() - @quiet)",
            new { quiet = settings.RepackQuietPeriod }, cancellationToken: cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Repacked content of project {ProjectId}: {Loose} loose objects and {Packs} open packs, {Before} -> {After} bytes")]
    private partial void LogRepacked(Guid projectId, int loose, int packs, long before, long after);

    [LoggerMessage(Level = LogLevel.Error, Message = "Repacking the content of project {ProjectId} failed; retrying on the next tick")]
    private partial void LogFailed(Exception exception, Guid projectId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for content to repack; retrying on the next tick")]
    private partial void LogUnavailable(Exception exception);
}
