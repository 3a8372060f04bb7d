namespace Folio.Contracts.Continuity;

/// <summary>
/// The generation saga asks Continuity to check one chapter as committed at <paramref name="CommitId"/>.
/// <paramref name="RequestId"/> is echoed in the answer so a retried request is recognised.
/// </summary>
public sealed record CheckChapterContinuity(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid RequestId,
    Guid OwnerId,
    Guid ProjectId,
    string Branch,
    string CommitId,
    Guid ChapterId,
    int ChapterNumber) : IIntegrationMessage;
