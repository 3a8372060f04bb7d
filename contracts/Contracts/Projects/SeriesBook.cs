namespace Folio.Contracts.Projects;

/// <summary>A book's place in its series, 1 for the first.</summary>
public sealed record SeriesBook(Guid ProjectId, int Sequence);
