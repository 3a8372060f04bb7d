using Folio.Contracts.Continuity;
using MassTransit;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// The job's life: Queued → Running (chapter after chapter, one step at a time) → Completed, or → Compensating
/// (rollback commit, lock released) → Failed / Cancelled. The decisions are <see cref="JobFlow"/>'s; this class binds
/// them to what comes from outside the steps: the dispatcher's start and stall nudges, the writer's cancel, Continuity's
/// verdict. A step's own outcome is settled by the worker that ran it (<see cref="JobStepConsumer"/>), through the same
/// decisions. A nudge carries the ticket of the step it is about, so a late one changes nothing.
/// </summary>
public sealed class GenerationJobStateMachine : MassTransitStateMachine<GenerationJob>
{
    public GenerationJobStateMachine(TimeProvider clock)
    {
        InstanceState(job => job.CurrentState);
        Event(() => Start, e => { e.CorrelateById(context => context.Message.JobId); e.OnMissingInstance(missing => missing.Discard()); });
        Event(() => StepTimedOut, e => { e.CorrelateById(context => context.Message.JobId); e.OnMissingInstance(missing => missing.Discard()); });
        Event(() => Cancel, e => { e.CorrelateById(context => context.Message.JobId); e.OnMissingInstance(missing => missing.Discard()); });
        Event(() => ContinuityChecked, e => { e.CorrelateById(context => context.Message.CorrelationId); e.OnMissingInstance(missing => missing.Discard()); });

        During(Queued,
            When(Start).Then(context => Settle(context, JobFlow.Start(context.Saga, clock.GetUtcNow()))),
            When(Cancel).Then(context => Settle(context, JobFlow.CancelQueued(context.Saga, clock.GetUtcNow()))));

        During(Running, Compensating,
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

    public Event<JobStepTimedOut> StepTimedOut { get; private set; } = null!;

    public Event<CancelGenerationJob> Cancel { get; private set; } = null!;

    public Event<ChapterContinuityChecked> ContinuityChecked { get; private set; } = null!;

    /// <summary>The state <see cref="JobFlow"/> chose; set directly because the saga row is ours and the state is its column.</summary>
    private static void Settle(BehaviorContext<GenerationJob> context, string state) => context.Saga.CurrentState = state;
}
