namespace Folio.Contracts.Continuity;

/// <summary>
/// The generation saga asks Continuity to check one chapter as committed at <paramref name="CommitId"/>.
/// <paramref name="RequestId"/> is echoed in the answer so a retried request is recognised. <paramref name="Brief"/> and <paramref name="TargetLength"/>
/// are what the chapter was written from; without them Continuity checks against the brief Projects holds for the chapter.
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
    int ChapterNumber,
    ChapterPlan? Brief = null,
    int? TargetLength = null) : IIntegrationMessage;
