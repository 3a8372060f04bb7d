using Folio.Export.Api.Features.Storage;
using Microsoft.Extensions.Options;

namespace Folio.Export.Api.Features.Exports;

/// <summary>Deletes export files past their expiry; the job stays in the history and answers 410 for its file.</summary>
public sealed class ExpiredFileSweeper(IServiceScopeFactory scopes, IOptions<ExportRunOptions> options, ILogger<ExpiredFileSweeper> logger) : BackgroundService
{
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next round retries; an undeleted expired file is never served (the API checks the expiry itself).
                logger.LogWarning(exception, "Deleting expired export files failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var jobs = scope.ServiceProvider.GetRequiredService<ExportJobs>();
        var storage = scope.ServiceProvider.GetRequiredService<IExportStorage>();
        var expired = await jobs.ExpiredFilesAsync(Batch, cancellationToken);
        foreach (var (id, key) in expired)
        {
            await storage.DeleteAsync(key, cancellationToken);
            await jobs.MarkFileDeletedAsync(id, cancellationToken);
        }

        return expired.Count;
    }
}
