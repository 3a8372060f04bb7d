using Folio.Contracts.Continuity;
using MassTransit;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// The job's life: Queued → Running (chapter after chapter, one step at a time) → Completed, or → Compensating
/// (rollback commit, lock released) → Failed / Cancelled. The decisions are <see cref="JobFlow"/>'s; this class binds
/// them to messages. Answers carry the ticket of the step they answer, so redelivered or late answers change nothing.
/// </summary>
public sealed class GenerationJobStateMachine : MassTransitStateMachine<GenerationJob>
{
    public GenerationJobStateMachine(TimeProvider clock)
    {
        InstanceState(job => job.CurrentState);
        Event(() => Start, e => { e.CorrelateById(context => context.Message.JobId); e.OnMissingInstance(missing => missing.Discard()); });
        Event(() => StepSucceeded, e => { e.CorrelateById(context => context.Message.JobId); e.OnMissingInstance(missing => missing.Discard()); });
        Event(() => StepFailed, e => { e.CorrelateById(context => context.Message.JobId); e.OnMissingInstance(missing => missing.Discard()); });
        Event(() => StepTimedOut, e => { e.CorrelateById(context => context.Message.JobId); e.OnMissingInstance(missing => missing.Discard()); });
        Event(() => Cancel, e => { e.CorrelateById(context => context.Message.JobId); e.OnMissingInstance(missing => missing.Discard()); });
        Event(() => ContinuityChecked, e => { e.CorrelateById(context => context.Message.CorrelationId); e.OnMissingInstance(missing => missing.Discard()); });

        During(Queued,
            When(Start).Then(context => Settle(context, JobFlow.Start(context.Saga, clock.GetUtcNow()))),
            When(Cancel).Then(context => Settle(context, JobFlow.CancelQueued(context.Saga, clock.GetUtcNow()))));

        During(Running, Compensating,
            When(StepSucceeded, context => context.Message.Ticket == context.Saga.Ticket)
                .Then(context => Settle(context, JobFlow.Succeeded(context.Saga, context.Message.Outcome, clock.GetUtcNow()))),
            When(StepFailed, context => context.Message.Ticket == context.Saga.Ticket)
                .Then(context => Settle(context, JobFlow.Failed(context.Saga, context.Message, clock.GetUtcNow()))),
            When(StepTimedOut, context => context.Message.Ticket == context.Saga.Ticket)
                .Then(context => Settle(context, JobFlow.TimedOut(context.Saga, clock.GetUtcNow()))),
            When(ContinuityChecked, context => context.Saga.Step == JobStep.Check && context.Message.CommitId == context.Saga.Chapter?.CommitId)
                .Then(context => Settle(context, JobFlow.Checked(context.Saga, context.Message, clock.GetUtcNow()))),
            When(Cancel).Then(context => JobFlow.RequestCancel(context.Saga)));

        // Late or duplicate answers after the job ended, and a cancel of a finished job, change nothing.
        OnUnhandledEvent(context => context.Ignore());
    }

    public State Queued { get; private set; } = null!;

    public State Running { get; private set; } = null!;

    public State Compensating { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public State Failed { get; private set; } = null!;

    public State Cancelled { get; private set; } = null!;

    public Event<StartGenerationJob> Start { get; private set; } = null!;

    public Event<JobStepSucceeded> StepSucceeded { get; private set; } = null!;

    public Event<JobStepFailed> StepFailed { get; private set; } = null!;

    public Event<JobStepTimedOut> StepTimedOut { get; private set; } = null!;

    public Event<CancelGenerationJob> Cancel { get; private set; } = null!;

    public Event<ChapterContinuityChecked> ContinuityChecked { get; private set; } = null!;

    /// <summary>The state <see cref="JobFlow"/> chose; set directly because the saga row is ours and the state is its column.</summary>
    private static void Settle(BehaviorContext<GenerationJob> context, string state) => context.Saga.CurrentState = state;
}
