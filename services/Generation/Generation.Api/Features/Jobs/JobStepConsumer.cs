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
/// is a checkpoint: a redelivery after a crash resumes at the first unsettled one. A step that is free to redo settles
/// with the next one (<see cref="JobFlow.SettlesWithNext"/>).
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

        var unsettled = new List<RanStep>();
        while (job is not null && (job.Ticket == delivery || job.RunsInDeliveryOf == delivery))
        {
            var (ticket, step, chapter) = (job.Ticket, job.Step, job.Chapter?.Number);
            var (outcome, failure) = await RunAsync(job, context);
            if (outcome is null && failure is null)
            {
                return;
            }

            var runNextHere = clock.GetUtcNow() < runInDeliveryUntil;
            unsettled.Add(new RanStep(ticket, step, chapter, outcome, failure));
            if (runNextHere && failure is null && JobFlow.SettlesWithNext(job))
            {
                job.CurrentState = JobFlow.Succeeded(job, outcome!, clock.GetUtcNow());
                JobFlow.RunInDelivery(job, delivery);
                continue;
            }

            job = await SettleAsync(job, unsettled, delivery, runNextHere, context.CancellationToken);
            unsettled = [];
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

    /// <summary>
    /// Settles the steps run since the last checkpoint. <paramref name="job"/> holds the decisions on all of them but the
    /// last, which is made here. When a cancel or a stall nudge changed the job meanwhile, the decisions are made again on
    /// top of it, for as many of the steps as it still expects (a step it re-issued, or replaced by a rollback, is not settled).
    /// </summary>
    /// <returns>The job when its next step runs in this delivery; null when it was sent, waits for an answer, or there is none.</returns>
    private async Task<GenerationJob?> SettleAsync(
        GenerationJob job, IReadOnlyList<RanStep> ran, int delivery, bool runNextHere, CancellationToken cancellationToken)
    {
        var agentRuns = job.UnsavedRuns.ToList();
        var summaries = job.UnsavedSummaries.ToDictionary();
        job.UnsavedRuns.Clear();
        job.UnsavedSummaries.Clear();
        var decided = ran.Count - 1;
        while (true)
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var now = clock.GetUtcNow();
            while (decided < ran.Count && job.Ticket == ran[decided].Ticket && job.Step == ran[decided].Step)
            {
                var step = ran[decided];
                job.CurrentState = step.Failure is null ? JobFlow.Succeeded(job, step.Outcome!, now) : JobFlow.Failed(job, step.Failure, now);
                if (++decided < ran.Count)
                {
                    JobFlow.RunInDelivery(job, delivery);
                }
            }

            if (decided == 0)
            {
                await runs.RecordAsync(agentRuns, CancellationToken.None);
                return null;
            }

            // Settling fewer steps than ran, the last one settled has already handed its successor to this delivery.
            var runsHere = decided < ran.Count ? job.RunsInDeliveryOf == delivery : runNextHere && JobFlow.RunInDelivery(job, delivery);
            var drafts = ran.Take(decided).Where(step => step is { Outcome.Draft: not null, Chapter: not null }).ToList();
            try
            {
                // One batch, one implicit transaction: the settlement commits in a single round trip. When the next step
                // runs in this delivery and settles in it too, the commit does not wait for the WAL flush: losing such a
                // checkpoint in a crash of PostgreSQL is the same as Generation crashing before it (the delivery is not
                // acknowledged yet, so it comes back and redoes the steps since the last checkpoint on disk, all safe to
                // redo). The delivery's last checkpoint waits, and that flush takes every earlier one to disk with it
                // before the broker hears the ack. A continuity check ends the delivery without a settlement of its own,
                // so the checkpoint that issues it waits.
                await JobRows.UpdateAsync(connection, null, outbox, job, cancellationToken, batch =>
                {
                    foreach (var step in drafts)
                    {
                        JobRows.AppendDraft(batch, job.CorrelationId, step.Chapter!.Value, step.Outcome!.Draft!);
                    }

                    AgentRunRecorder.Append(batch, agentRuns);
                    ChapterSummaries.Append(batch, job.ProjectId, summaries);
                }, flushLater: runsHere && job.Step != JobStep.Check);
            }
            catch (SagaException)
            {
                // A cancel or a stall nudge changed the job while the steps ran.
                if (await JobRows.LoadAsync(connection, job.CorrelationId, cancellationToken) is not { } changed)
                {
                    await runs.RecordAsync(agentRuns, CancellationToken.None);
                    return null;
                }

                (job, decided) = (changed, 0);
                continue;
            }

            if (JobStates.Ended(job.CurrentState))
            {
                // Its worker and branch are free for the next queued job.
                dispatcher.Wake();
            }

            foreach (var step in drafts)
            {
                job.KeepDraft(step.Chapter!.Value, step.Outcome!.Draft!);
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

    /// <summary>A step run in this delivery and not yet settled: the ticket and step it ran as, its chapter, and what it produced.</summary>
    private sealed record RanStep(int Ticket, JobStep Step, int? Chapter, StepOutcome? Outcome, StepFailure? Failure);

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
