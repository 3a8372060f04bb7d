namespace Folio.Contracts.Continuity;

/// <summary>
/// What Continuity read in one chapter as checked at <paramref name="CommitId"/>, offered to Projects as suggestions the writer can accept:
/// which characters appear, capitalised names the bible does not know, and the months the narration asserts.
/// </summary>
public sealed record ContinuitySuggestionsExtracted(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid ChapterId,
    int ChapterNumber,
    string CommitId,
    IReadOnlyList<SuggestedAppearance> Appearances,
    IReadOnlyList<SuggestedName> UnknownNames,
    IReadOnlyList<SuggestedTimelineFact> TimelineFacts) : IIntegrationMessage;
