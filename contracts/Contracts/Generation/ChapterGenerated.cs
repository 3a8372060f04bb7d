namespace Folio.Contracts.Generation;

/// <summary>A chapter is written, committed as <paramref name="CommitId"/> and (per the job's policy) checked; <paramref name="Continuity"/> says how.</summary>
public sealed record ChapterGenerated(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid JobId, Guid ProjectId, int ChapterNumber, Guid ChapterId, string CommitId, int Words, string Continuity) : IIntegrationMessage;
