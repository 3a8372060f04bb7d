using Folio.Contracts.Projects;

namespace Folio.Projects.Api.Features.World;

/// <summary>A world entry as a book or series sees it; <see cref="Source"/> is <c>book</c> or <c>series</c> (inherited).</summary>
public sealed record WorldEntryResponse(
    Guid Id,
    string Source,
    Guid? Overrides,
    string Kind,
    string Name,
    string? Description,
    IReadOnlyList<BibleFact> Facts,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    internal WorldEntrySnapshot Snapshot() => new(Kind, Name, Description, Facts, Overrides);
}

public sealed record WorldEntryListResponse(IReadOnlyList<WorldEntryResponse> Items);

internal sealed record WorldEntrySnapshot(string Kind, string Name, string? Description, IReadOnlyList<BibleFact> Facts, Guid? Overrides);
