using Folio.Generation.Api.Features.Jobs;
using Folio.Generation.Api.Features.Jobs.Saga;
using Folio.Generation.Tests.Settings;
using Folio.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.Generation.Tests.Jobs;

/// <summary>Jobs (of one chapter unless asked) written straight into the service's database, the way the jobs API stores them.</summary>
internal static class StoredJobs
{
    public static async Task<Guid> InsertAsync(GenerationApiFactory factory, string state, int chapters = 1)
    {
        var job = new GenerationJob
        {
            CorrelationId = Guid.CreateVersion7(),
            CurrentState = state,
            ProjectId = Guid.CreateVersion7(),
            OwnerId = Guid.CreateVersion7(),
            Branch = "main",
            Chapters = Enumerable.Range(1, chapters).Select(number => new JobChapter { Number = number, ChapterId = Guid.CreateVersion7(), Title = $"Chapter {number}" }).ToList(),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await using var connection = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await JobRows.InsertAsync(transaction, factory.Services.GetRequiredService<IOutbox>(), job, CancellationToken.None);
        await transaction.CommitAsync();
        return job.CorrelationId;
    }
}
