using Dapper;
using FluentAssertions;
using Folio.Generation.Api.Features.Jobs;
using Folio.Generation.Tests.Settings;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Folio.Generation.Tests.Jobs;

/// <summary>The real Generation service on the test PostgreSQL, whose dispatcher ticks every ten minutes (<see cref="GenerationApiFactory"/>).</summary>
[Collection(SharedGenerationApi.Name)]
public sealed class JobDispatcherTests(GenerationApiFactory factory) : IAsyncLifetime
{
    private readonly List<Guid> queued = [];

    private JobDispatcher Dispatcher => factory.Services.GetRequiredService<JobDispatcher>();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Dispatched jobs count against the service's workers until they end; these never would.</summary>
    public async Task DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.ExecuteAsync("DELETE FROM generation_jobs WHERE id = ANY(@queued)", new { queued });
    }

    [Fact]
    public async Task A_wake_dispatches_a_job_queued_on_a_free_branch_without_waiting_for_the_tick()
    {
        await UntilIdleAsync();
        var jobId = await QueueAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await DispatchedAsync(jobId)).Should().BeFalse("the next tick is ten minutes away and nothing woke the dispatcher");

        Dispatcher.Wake();

        (await DispatchedWithinAsync(jobId, TimeSpan.FromSeconds(5))).Should().BeTrue("a wake runs the dispatcher at once");
    }

    [Fact]
    public async Task Wakes_asked_for_while_one_is_pending_do_not_pile_up()
    {
        await UntilIdleAsync();
        for (var wake = 0; wake < 1000; wake++)
        {
            Dispatcher.Wake();
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var jobId = await QueueAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await DispatchedAsync(jobId)).Should().BeFalse("the thousand wakes came to one dispatch, before this job was queued");
    }

    /// <summary>
    /// Past the dispatch the service ran when it started (which may come after the test began) and any wake still pending:
    /// a job is queued and woken for, and once it is dispatched nothing is left to run the dispatcher.
    /// </summary>
    private async Task UntilIdleAsync()
    {
        var sentinel = await QueueAsync();
        Dispatcher.Wake();
        (await DispatchedWithinAsync(sentinel, TimeSpan.FromSeconds(10))).Should().BeTrue();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
    }

    private async Task<Guid> QueueAsync()
    {
        var jobId = await StoredJobs.InsertAsync(factory, JobStates.Queued);
        queued.Add(jobId);
        return jobId;
    }

    private async Task<bool> DispatchedWithinAsync(Guid jobId, TimeSpan limit)
    {
        for (var waited = TimeSpan.Zero; waited < limit; waited += TimeSpan.FromMilliseconds(100))
        {
            if (await DispatchedAsync(jobId))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private async Task<bool> DispatchedAsync(Guid jobId)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        return await connection.ExecuteScalarAsync<bool>("SELECT dispatched_at IS NOT NULL FROM generation_jobs WHERE id = @jobId", new { jobId });
    }
}
