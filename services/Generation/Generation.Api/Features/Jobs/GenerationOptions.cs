namespace Folio.Generation.Api.Features.Jobs;

public sealed class GenerationOptions
{
    public const string Section = "Generation";

    /// <summary>Jobs running at once (each on its own book and branch); the rest wait in the queue.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>One step, model calls and retries included; with <see cref="RunStepsInDeliveryFor"/>, stays under RabbitMQ's 30-minute consumer timeout.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// A delivery goes on to the job's next step only while it is younger than this; then the next step is sent through
    /// the broker, so one job cannot keep a worker, nor a delivery outlive the consumer timeout.
    /// </summary>
    public TimeSpan RunStepsInDeliveryFor { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A step with no answer this long is issued again (its message was lost or dead-lettered).</summary>
    public TimeSpan StepStallTimeout { get; set; } = TimeSpan.FromMinutes(25);

    /// <summary>How long a chapter waits for Continuity's verdict before the check is skipped, visibly.</summary>
    public TimeSpan ContinuityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The dispatcher's fallback tick: it also runs whenever this instance queues or ends a job, so the tick only picks up
    /// jobs queued on another replica, branches locked outside Generation and stalled steps.
    /// </summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);
}
