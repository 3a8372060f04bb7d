using Folio.Generation.Core.Agents;

namespace Folio.Generation.Core.Offline;

/// <summary>
/// The characters on stage in one chapter, split by what the bible's facts allow them to do:
/// the living act and speak; the dead may only be remembered.
/// </summary>
internal sealed class Cast
{
    /// <summary>Who acts when the bible names nobody alive, so a chapter still has someone to follow.</summary>
    public const string Stranger = "the stranger";

    private Cast(IReadOnlyList<StoryCharacter> living, IReadOnlyList<StoryCharacter> dead)
    {
        Living = living;
        Dead = dead;
    }

    public IReadOnlyList<StoryCharacter> Living { get; }

    public IReadOnlyList<StoryCharacter> Dead { get; }

    public static bool IsDead(StoryCharacter character) =>
        character.Facts.TryGetValue("status", out var status)
        && (status.Equals("dead", StringComparison.OrdinalIgnoreCase) || status.Equals("deceased", StringComparison.OrdinalIgnoreCase));

    public static string? Fact(StoryCharacter character, string key) =>
        character.Facts.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>Resolves the names a brief lists against the bible (by name or alias); unknown names become bare characters.</summary>
    public static Cast For(StoryContext story, IEnumerable<string> names, string pointOfView)
    {
        var characters = names.Prepend(pointOfView)
            .Where(name => !string.IsNullOrWhiteSpace(name))
            .Select(name => Find(story, name) ?? Bare(name))
            .DistinctBy(character => character.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var living = characters.Where(character => !IsDead(character)).ToList();
        if (living.Count == 0)
        {
            living.Add(Bare(Stranger));
        }

        return new Cast(living, characters.Where(IsDead).ToList());
    }

    private static StoryCharacter? Find(StoryContext story, string name) =>
        story.Characters.FirstOrDefault(character => character.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? story.Characters.FirstOrDefault(character =>
            character.Aliases.Any(alias => alias.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)));

    private static StoryCharacter Bare(string name) =>
        new(name.Trim(), [], null, null, new Dictionary<string, string>());
}
