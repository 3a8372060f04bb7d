namespace Folio.Projects.Api.Features.Stats;

/// <summary>A book's writing statistics, in the shape of DraftForge's <c>.draftforge/stats.json</c>.</summary>
public sealed record ProjectStatsResponse(
    StatsProject Project,
    StatsCurrent Current,
    StatsBreakdown Breakdown,
    IReadOnlyList<StatsDay> History,
    StatsStreaks Streaks);

public sealed record StatsProject(Guid Id, string Title, int? TargetWords);

/// <param name="ProgressPercent">Words against the project's target word count; null when it has none.</param>
public sealed record StatsCurrent(int Words, int Characters, int Chapters, double? ProgressPercent);

public sealed record StatsBreakdown(IReadOnlyList<StatsChapter> Chapters);

public sealed record StatsChapter(Guid Id, int Number, string Title, int Words, int Characters, int? TargetLength);

public sealed record StatsDay(DateOnly Date, int WordsAdded, int WordsRemoved, int NetWords, int HumanWords);

public sealed record StatsStreaks(int Current, int Longest, int TotalWritingDays, DateOnly? LastWritingDate, string TimeZone);
