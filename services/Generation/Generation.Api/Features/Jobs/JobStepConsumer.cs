using Folio.Contracts;
using Folio.Generation.Api.Features.Jobs.Saga;
using Folio.Generation.Api.Features.Providers;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// Runs one step and answers the saga. A step for a ticket the saga has moved past is dropped. Outages (Versioning or
/// Projects restarting, the network) throw and the delivery is retried; a refusal or a provider failing for good is
/// answered as a failed step, which the saga compensates. Each step has a deadline under the broker's consumer
/// timeout, so a long model call never holds a delivery past it.
/// </summary>
public sealed partial class JobStepConsumer(NpgsqlDataSource db, JobSteps steps, IOptions<GenerationOptions> options, ILogger<JobStepConsumer> logger)
    : IConsumer<RunJobStep>
{
    private static readonly Actor Worker = Actor.System("generation-worker");

    public async Task Consume(ConsumeContext<RunJobStep> context)
    {
        var step = context.Message;
        GenerationJob? job;
        await using (var connection = await db.OpenConnectionAsync(context.CancellationToken))
        {
            job = await JobRows.LoadAsync(connection, step.JobId, context.CancellationToken);
        }

        if (job is null || job.Ticket != step.Ticket)
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        deadline.CancelAfter(options.Value.StepTimeout);
        try
        {
            var outcome = await steps.RunAsync(job, context, deadline.Token);
            if (outcome is not null)
            {
                await context.Publish(new JobStepSucceeded(Guid.CreateVersion7(), job.CorrelationId, DateTimeOffset.UtcNow, Worker, job.CorrelationId, step.Ticket, outcome));
            }
        }
        catch (Exception exception) when (Permanent(exception, deadline, context.CancellationToken) is { } reason)
        {
            LogStepFailed(job.CorrelationId, job.Step, step.Ticket, reason);
            await context.Publish(new JobStepFailed(Guid.CreateVersion7(), job.CorrelationId, DateTimeOffset.UtcNow, Worker, job.CorrelationId, step.Ticket,
                reason, (exception as StepFailedException)?.BranchBusy ?? false));
        }
    }

    private static string? Permanent(Exception exception, CancellationTokenSource deadline, CancellationToken delivery) => exception switch
    {
        StepFailedException failed => failed.Message,
        ProviderException provider => $"The {provider.Provider} provider failed ({provider.Failure}): {provider.Message}",
        KeyNotFoundException missing => missing.Message,
        OperationCanceledException when deadline.IsCancellationRequested && !delivery.IsCancellationRequested => "The step ran past its deadline.",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation job {JobId}: step {Step} (ticket {Ticket}) failed for good: {Reason}")]
    private partial void LogStepFailed(Guid jobId, JobStep step, int ticket, string reason);
}

/// <summary>Steps of different jobs run side by side, as many as there are workers; an outage is retried for a minute and a half.</summary>
public sealed class JobStepConsumerDefinition : ConsumerDefinition<JobStepConsumer>
{
    private readonly int workers;

    public JobStepConsumerDefinition(IOptions<GenerationOptions> options)
    {
        workers = Math.Max(1, options.Value.Workers);
        ConcurrentMessageLimit = workers;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<JobStepConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = workers * 2;
        consumerConfigurator.UseMessageRetry(retry => retry.Interval(30, TimeSpan.FromSeconds(3)));
    }
}
