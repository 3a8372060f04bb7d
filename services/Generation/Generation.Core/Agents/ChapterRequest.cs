namespace Folio.Generation.Core.Agents;

/// <summary>
/// What the writer agent needs to write one chapter from its brief, with the context carried over; when it revises,
/// <paramref name="RevisionNotes"/> are the continuity findings its earlier draft must fix.
/// </summary>
public sealed record ChapterRequest(
    StoryContext Story,
    ChapterBrief Brief,
    string? RunningSummary,
    string? PreviousChapterEnding,
    int Seed,
    IReadOnlyList<string>? RevisionNotes = null);
