namespace Folio.Contracts.Generation;

/// <summary>Every requested chapter is done; <paramref name="HeadCommitId"/> is the branch head the job left.</summary>
public sealed record GenerationJobCompleted(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid JobId, Guid ProjectId, string Branch, int Chapters, string? HeadCommitId) : IIntegrationMessage;
