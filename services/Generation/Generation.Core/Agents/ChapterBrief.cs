namespace Folio.Generation.Core.Agents;

/// <summary>The architect's plan for one chapter; the writer must cover every beat, in order.</summary>
public sealed record ChapterBrief(
    int ChapterNumber,
    string Title,
    IReadOnlyList<string> Beats,
    string PointOfView,
    string Setting,
    IReadOnlyList<string> CharactersPresent,
    string Goal,
    int TargetWords);
