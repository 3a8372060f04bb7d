namespace Folio.Contracts.Versioning;

/// <summary>A chapter (or, with <see cref="ChapterId"/> null, the whole book) was restored to an earlier commit by a new commit.</summary>
public sealed record ChapterRolledBack(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, string Branch, Guid? ChapterId, string RestoredFromCommitId, string CommitId) : IIntegrationMessage;
