namespace Folio.Contracts.Continuity;

/// <summary>
/// Continuity's answer to <see cref="CheckChapterContinuity"/>, sent back to the requester (the saga correlates by <see cref="IIntegrationMessage.CorrelationId"/>).
/// <paramref name="Status"/> is <c>pass</c>, <c>warning</c> or <c>error</c>; <paramref name="Verdict"/> tells the saga what to do:
/// <c>pass</c> (go on), <c>revise</c> (rewrite with <paramref name="Findings"/>), <c>stop</c> (a human must look).
/// </summary>
public sealed record ChapterContinuityChecked(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid RequestId,
    Guid ProjectId,
    Guid ChapterId,
    string CommitId,
    Guid CheckId,
    string Status,
    string Verdict,
    IReadOnlyList<ContinuityFinding> Findings) : IIntegrationMessage;
