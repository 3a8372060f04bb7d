namespace Folio.Contracts.Versioning;

/// <summary>What one commit did to one chapter, in words.</summary>
/// <param name="Characters">Unicode characters of the chapter after the commit; null from publishers that predate it.</param>
public sealed record ChapterChange(
    Guid ChapterId, string ChangeKind, string? ContentId, int Words, int WordsAdded, int WordsRemoved, double PercentChanged, int? Characters = null);
