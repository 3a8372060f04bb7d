namespace Folio.Contracts.Versioning;

/// <summary>A commit changed chapters of a book; one message per commit, carrying every chapter's word deltas.</summary>
public sealed record ChapterRevisionCommitted(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    string Branch,
    string CommitId,
    string CommitKind,
    IReadOnlyList<ChapterChange> Changes) : IIntegrationMessage;
