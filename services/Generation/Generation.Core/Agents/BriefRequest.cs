namespace Folio.Generation.Core.Agents;

/// <summary>What the architect agent needs to plan one chapter.</summary>
public sealed record BriefRequest(
    StoryContext Story,
    int ChapterNumber,
    string? ChapterTitle,
    IReadOnlyList<string> OutlineBeats,
    IReadOnlyList<string> EarlierSummaries,
    int TargetWords,
    int Seed);
