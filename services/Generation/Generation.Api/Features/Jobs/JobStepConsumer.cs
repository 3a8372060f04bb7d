using Folio.Generation.Api.Features.Agents;
using Folio.Generation.Api.Features.Jobs.Saga;
using Folio.Generation.Api.Features.Providers;
using Folio.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// Runs a job's step, settles its outcome (<see cref="JobFlow"/>, the job's row and its events in one transaction), and
/// goes straight on to the next step in the same delivery while <see cref="GenerationOptions.RunStepsInDeliveryFor"/>
/// lasts; after that, or when the next step waits for Continuity, the next step is sent as a command. Each settled step
/// is a checkpoint: a redelivery after a crash resumes at the first unsettled one.
/// Outages (Versioning or Projects restarting, the network) throw and the delivery is retried; a refusal or a provider
/// failing for good is settled as a failed step, which the job compensates. Each step has a deadline under the broker's
/// consumer timeout, so a long model call never holds a delivery past it.
/// </summary>
public sealed partial class JobStepConsumer(
    NpgsqlDataSource db, IOutbox outbox, JobSteps steps, AgentRunRecorder runs, JobDispatcher dispatcher, IOptions<GenerationOptions> options, TimeProvider clock,
    ILogger<JobStepConsumer> logger)
    : IConsumer<RunJobStep>
{
    public async Task Consume(ConsumeContext<RunJobStep> context)
    {
        var delivery = context.Message.Ticket;
        var runInDeliveryUntil = clock.GetUtcNow() + options.Value.RunStepsInDeliveryFor;
        GenerationJob? job;
        await using (var connection = await db.OpenConnectionAsync(context.CancellationToken))
        {
            job = await JobRows.LoadAsync(connection, context.Message.JobId, context.CancellationToken);
        }

        while (job is not null && (job.Ticket == delivery || job.RunsInDeliveryOf == delivery))
        {
            var (outcome, failure) = await RunAsync(job, context);
            if (outcome is null && failure is null)
            {
                return;
            }

            job = await SettleAsync(job, outcome, failure, clock.GetUtcNow() < runInDeliveryUntil ? delivery : null, context.CancellationToken);
        }
    }

    private async Task<(StepOutcome? Outcome, StepFailure? Failure)> RunAsync(GenerationJob job, ConsumeContext context)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        deadline.CancelAfter(options.Value.StepTimeout);
        try
        {
            return (await steps.RunAsync(job, context, deadline.Token), null);
        }
        catch (Exception exception) when (Permanent(exception, deadline, context.CancellationToken) is { } reason)
        {
            LogStepFailed(job.CorrelationId, job.Step, job.Ticket, reason);
            return (null, new StepFailure(reason, (exception as StepFailedException)?.BranchBusy ?? false));
        }
        catch (Exception)
        {
            // The delivery is retried and the step with it; the calls this attempt made are on record all the same.
            await runs.RecordAsync(job.UnsavedRuns, CancellationToken.None);
            throw;
        }
    }

    /// <returns>The job when its next step runs in this delivery; null when it was sent, waits for an answer, or there is none.</returns>
    private async Task<GenerationJob?> SettleAsync(GenerationJob ran, StepOutcome? outcome, StepFailure? failure, int? runInDelivery, CancellationToken cancellationToken)
    {
        var (ticket, chapter) = (ran.Ticket, ran.Chapter?.Number);
        var agentRuns = ran.UnsavedRuns.ToList();
        var summaries = ran.UnsavedSummaries.ToDictionary();
        ran.UnsavedRuns.Clear();
        ran.UnsavedSummaries.Clear();
        for (var job = ran; ;)
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var now = clock.GetUtcNow();
            job.CurrentState = failure is null ? JobFlow.Succeeded(job, outcome!, now) : JobFlow.Failed(job, failure, now);
            var runsHere = runInDelivery is { } delivery && JobFlow.RunInDelivery(job, delivery);
            try
            {
                // One batch, one implicit transaction: the settlement commits in a single round trip.
                await JobRows.UpdateAsync(connection, null, outbox, job, cancellationToken, batch =>
                {
                    if (outcome?.Draft is { } draft && chapter is not null)
                    {
                        JobRows.AppendDraft(batch, job.CorrelationId, chapter.Value, draft);
                    }

                    AgentRunRecorder.Append(batch, agentRuns);
                    ChapterSummaries.Append(batch, job.ProjectId, summaries);
                });
            }
            catch (SagaException)
            {
                // A cancel or a stall nudge changed the job while the step ran: settle on top of it, unless the step was re-issued.
                job = await JobRows.LoadAsync(connection, ran.CorrelationId, cancellationToken);
                if (job is null || job.Ticket != ticket)
                {
                    await runs.RecordAsync(agentRuns, CancellationToken.None);
                    return null;
                }

                continue;
            }

            if (JobStates.Ended(job.CurrentState))
            {
                // Its worker and branch are free for the next queued job.
                dispatcher.Wake();
            }

            if (outcome?.Draft is { } saved && chapter is not null)
            {
                job.KeepDraft(chapter.Value, saved);
            }

            return runsHere ? job : null;
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
