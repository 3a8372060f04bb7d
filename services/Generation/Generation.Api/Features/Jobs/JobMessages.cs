using Folio.Contracts;

namespace Folio.Generation.Api.Features.Jobs;

// The saga's own messages: they never leave the Generation service, so they live with it rather than in contracts/.

/// <summary>The dispatcher found a worker and a free branch for a queued job.</summary>
public sealed record StartGenerationJob(Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor, Guid JobId) : IIntegrationMessage;

/// <summary>Do <paramref name="Step"/> of the job (for chapter <paramref name="ChapterNumber"/>); answer with <paramref name="Ticket"/>.</summary>
public sealed record RunJobStep(Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor, Guid JobId, int Ticket, JobStep Step, int ChapterNumber) : IIntegrationMessage;

/// <summary>What a step produced: as much as the saga needs to decide the next step, and the chapter's draft, saved with that decision.</summary>
public sealed record StepOutcome(string? LockToken = null, string? Head = null, string? CommitId = null, int Words = 0, ChapterDraft? Draft = null);

/// <summary>The architect's brief (JSON), or the writer's text with what it was given as context (JSON).</summary>
public sealed record ChapterDraft(string? Brief = null, string? Text = null, string? Context = null);

/// <summary>A step failed for good (its retries are spent). <paramref name="BranchBusy"/>: the lock is held by someone else.</summary>
public sealed record StepFailure(string Reason, bool BranchBusy = false);

/// <summary>No answer for the step with <paramref name="Ticket"/> within its time: the saga re-issues it (or skips a silent continuity check).</summary>
public sealed record JobStepTimedOut(Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor, Guid JobId, int Ticket) : IIntegrationMessage;

public sealed record CancelGenerationJob(Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor, Guid JobId) : IIntegrationMessage;
