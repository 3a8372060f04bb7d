namespace Folio.Contracts.Versioning;

/// <summary>What one commit did to one chapter, in words.</summary>
public sealed record ChapterChange(Guid ChapterId, string ChangeKind, string? ContentId, int Words, int WordsAdded, int WordsRemoved, double PercentChanged);
