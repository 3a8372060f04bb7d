namespace Folio.Contracts.Generation;

/// <summary>
/// Continuity asks Generation for an LLM review of one chapter as committed at <paramref name="CommitId"/>, with the owner's configured
/// provider. It carries the chapter's text and the facts the review may rely on: the characters with their facts valid at the chapter,
/// and passages of earlier chapters that established something. Answered with <see cref="ChapterContinuityReviewed"/> (request/response).
/// </summary>
public sealed record ReviewChapterContinuity(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid OwnerId,
    Guid ProjectId,
    Guid ChapterId,
    int ChapterNumber,
    string CommitId,
    string ChapterText,
    IReadOnlyList<ReviewCharacter> Characters,
    IReadOnlyList<ReviewPassage> EarlierPassages) : IIntegrationMessage;
