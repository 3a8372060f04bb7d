using Dapper;
using FluentAssertions;
using Folio.Generation.Api.Features.Jobs;
using Folio.Generation.Api.Features.Jobs.Saga;
using Folio.Generation.Tests.Settings;
using Folio.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Folio.Generation.Tests.Jobs;

/// <summary>The real Generation service on the test PostgreSQL, with a dispatcher tick far longer than any test.</summary>
public sealed class JobDispatcherTests : IDisposable
{
    private readonly GenerationApiFactory slowTicks = new() { Settings = { ["Generation:DispatchInterval"] = "00:10:00" } };

    public JobDispatcherTests() => slowTicks.CreateClient().Dispose();

    public void Dispose() => slowTicks.Dispose();

    [Fact]
    public async Task A_wake_dispatches_a_job_queued_on_a_free_branch_without_waiting_for_the_tick()
    {
        var jobId = await QueueAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await DispatchedAsync(jobId)).Should().BeFalse("the next tick is ten minutes away and nothing woke the dispatcher");

        slowTicks.Services.GetRequiredService<JobDispatcher>().Wake();

        var dispatched = false;
        for (var attempt = 0; attempt < 50 && !dispatched; attempt++)
        {
            await Task.Delay(100);
            dispatched = await DispatchedAsync(jobId);
        }

        dispatched.Should().BeTrue("a wake runs the dispatcher at once");
    }

    [Fact]
    public async Task Wakes_asked_for_while_one_is_pending_do_not_pile_up()
    {
        var dispatcher = slowTicks.Services.GetRequiredService<JobDispatcher>();
        for (var wake = 0; wake < 1000; wake++)
        {
            dispatcher.Wake();
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var jobId = await QueueAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await DispatchedAsync(jobId)).Should().BeFalse("the thousand wakes came to one dispatch, before this job was queued");
    }

    private async Task<Guid> QueueAsync()
    {
        var job = new GenerationJob
        {
            CorrelationId = Guid.CreateVersion7(),
            CurrentState = JobStates.Queued,
            ProjectId = Guid.CreateVersion7(),
            OwnerId = Guid.CreateVersion7(),
            Branch = "main",
            Chapters = [new JobChapter { Number = 1, ChapterId = Guid.CreateVersion7(), Title = "One" }],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await using var connection = await slowTicks.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await JobRows.InsertAsync(transaction, slowTicks.Services.GetRequiredService<IOutbox>(), job, CancellationToken.None);
        await transaction.CommitAsync();
        return job.CorrelationId;
    }

    private async Task<bool> DispatchedAsync(Guid jobId)
    {
        await using var connection = new NpgsqlConnection(slowTicks.ConnectionString);
        return await connection.ExecuteScalarAsync<bool>("SELECT dispatched_at IS NOT NULL FROM generation_jobs WHERE id = @jobId", new { jobId });
    }
}
