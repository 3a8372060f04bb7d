namespace Folio.Contracts.Generation;

/// <summary>The writer cancelled the job; its work was undone per <paramref name="RollbackPolicy"/>, like a failure.</summary>
public sealed record GenerationJobCancelled(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid JobId, Guid ProjectId, string Branch, int? ChapterNumber, string RollbackPolicy, string? RollbackCommitId) : IIntegrationMessage;
