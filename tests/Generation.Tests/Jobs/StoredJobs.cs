using Folio.Generation.Api.Features.Jobs;
using Folio.Generation.Api.Features.Jobs.Saga;
using Folio.Generation.Tests.Settings;
using Folio.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.Generation.Tests.Jobs;

/// <summary>One-chapter jobs written straight into the service's database, the way the jobs API stores them.</summary>
internal static class StoredJobs
{
    public static async Task<Guid> InsertAsync(GenerationApiFactory factory, string state)
    {
        var job = new GenerationJob
        {
            CorrelationId = Guid.CreateVersion7(),
            CurrentState = state,
            ProjectId = Guid.CreateVersion7(),
            OwnerId = Guid.CreateVersion7(),
            Branch = "main",
            Chapters = [new JobChapter { Number = 1, ChapterId = Guid.CreateVersion7(), Title = "One" }],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await using var connection = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await JobRows.InsertAsync(transaction, factory.Services.GetRequiredService<IOutbox>(), job, CancellationToken.None);
        await transaction.CommitAsync();
        return job.CorrelationId;
    }
}
