namespace Folio.Contracts.Generation;

/// <summary>The job holds the branch's generation lock; <paramref name="BaseCommitId"/> is the head it started from (null for an empty branch).</summary>
public sealed record GenerationJobStarted(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid JobId, Guid ProjectId, string Branch, string? BaseCommitId) : IIntegrationMessage;
