namespace Folio.Projects.Api.Features.Series;

public sealed record SeriesBookResponse(Guid ProjectId, int Sequence, string Title, string Status, int? TargetWordCount);

public sealed record SeriesResponse(
    Guid Id,
    string Title,
    string? Description,
    IReadOnlyList<SeriesBookResponse> Books,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt);

public sealed record SeriesSummaryResponse(Guid Id, string Title, string? Description, int BookCount, int Version, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record SeriesListResponse(IReadOnlyList<SeriesSummaryResponse> Items);

/// <summary>A book's target and its current size on main (from the writing stats).</summary>
public sealed record SeriesBookStats(Guid ProjectId, int Sequence, string Title, int? TargetWordCount, int Words, int Characters);

public sealed record SeriesStatsResponse(Guid SeriesId, int BookCount, long TargetWordCount, long Words, long Characters, IReadOnlyList<SeriesBookStats> Books);

/// <summary>What the audit log compares: the series as the API shows it, books as their ids in order.</summary>
internal sealed record SeriesSnapshot(string Title, string? Description, IReadOnlyList<Guid> Books);
