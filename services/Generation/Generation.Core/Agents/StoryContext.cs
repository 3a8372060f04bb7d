namespace Folio.Generation.Core.Agents;

/// <summary>A character as the story bible knows them at the chapter being written.</summary>
/// <param name="Facts">Facts valid at this chapter, keyed in snake case: eye_colour, hair, age, title, status…</param>
public sealed record StoryCharacter(
    string Name,
    IReadOnlyList<string> Aliases,
    string? Role,
    string? Description,
    IReadOnlyDictionary<string, string> Facts);

public sealed record StoryPlace(string Name, string? Description);

/// <summary>What every agent is told about the book: its bible as of the chapter in hand.</summary>
public sealed record StoryContext(
    string Title,
    string? Genre,
    string? Style,
    string? Synopsis,
    string Language,
    IReadOnlyList<StoryCharacter> Characters,
    IReadOnlyList<StoryPlace> Places);
