namespace Folio.Contracts.Generation;

/// <summary>
/// Generation's answer to <see cref="ReviewChapterContinuity"/>. <paramref name="Status"/> is <c>completed</c>, or says why the review
/// contributes nothing: <c>skipped: offline provider</c> (the offline writer does not review), <c>failed: …</c> (the provider failed or
/// answered something other than the JSON asked for). <paramref name="Findings"/> are empty unless the review completed.
/// </summary>
public sealed record ChapterContinuityReviewed(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid ChapterId,
    string Status,
    string Provider,
    string Model,
    IReadOnlyList<ReviewFinding> Findings) : IIntegrationMessage;
