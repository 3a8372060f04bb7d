namespace Folio.Contracts.Generation;

/// <summary>A writer asked for chapters <paramref name="FirstChapter"/>..<paramref name="LastChapter"/>; the job waits for a worker and the branch.</summary>
public sealed record GenerationJobQueued(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid JobId, Guid ProjectId, string Branch, int FirstChapter, int LastChapter) : IIntegrationMessage;
