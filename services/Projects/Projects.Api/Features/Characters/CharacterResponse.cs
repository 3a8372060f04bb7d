using Folio.Contracts.Projects;

namespace Folio.Projects.Api.Features.Characters;

/// <summary>A character as a book or series sees it; <see cref="Source"/> is <c>book</c> or <c>series</c> (inherited).</summary>
public sealed record CharacterResponse(
    Guid Id,
    string Source,
    Guid? Overrides,
    string Name,
    IReadOnlyList<string> Aliases,
    string? Description,
    string Role,
    string? Arc,
    IReadOnlyList<string> Traits,
    IReadOnlyList<BibleFact> Facts,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    internal CharacterSnapshot Snapshot() => new(Name, Aliases, Description, Role, Arc, Traits, Facts, Overrides);
}

public sealed record CharacterListResponse(IReadOnlyList<CharacterResponse> Items);

public sealed record CharacterFactsResponse(Guid CharacterId, int? AtChapter, IReadOnlyList<BibleFact> Facts);

internal sealed record CharacterSnapshot(
    string Name,
    IReadOnlyList<string> Aliases,
    string? Description,
    string Role,
    string? Arc,
    IReadOnlyList<string> Traits,
    IReadOnlyList<BibleFact> Facts,
    Guid? Overrides);
