using System.Text.RegularExpressions;

namespace Folio.Continuity.Core.Text;

/// <summary>A name found in the text; <see cref="Character"/> is null when the form belongs to more than one character.</summary>
public sealed record Mention(int Index, int Length, string Form, CharacterProfile? Character);

/// <summary>Every name and alias valid at one chapter, matched longest first ("Miss Elizabeth Bennet" before "Elizabeth").</summary>
public sealed class NameIndex
{
    private static readonly string[] TitleWords = ["Mr.", "Mrs.", "Miss", "Sir", "Lady", "Lord", "Colonel", "Captain", "Dr.", "Lieutenant", "General", "Master", "Madam"];

    private readonly Dictionary<string, List<CharacterProfile>> owners = new(StringComparer.Ordinal);
    private readonly Regex? pattern;

    public NameIndex(IEnumerable<CharacterProfile> characters, int chapter, IEnumerable<string> places)
    {
        foreach (var character in characters)
        {
            foreach (var form in FormsAt(character, chapter))
            {
                if (!owners.TryGetValue(form, out var list))
                {
                    owners[form] = list = [];
                }

                if (!list.Contains(character))
                {
                    list.Add(character);
                }
            }
        }

        foreach (var form in owners.Keys.Concat(places))
        {
            foreach (Match word in ChapterText.WordPattern().Matches(form))
            {
                KnownWords.Add(word.Value);
            }
        }

        if (owners.Count > 0)
        {
            var alternation = string.Join("|", owners.Keys.OrderByDescending(form => form.Length).Select(form => Regex.Escape(form).Replace(@"\ ", @"\s+", StringComparison.Ordinal)));
            pattern = new Regex($@"(?<![\p{{L}}])(?:{alternation})(?![\p{{L}}])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Every word of every name, alias and place: capitalised words that are not misspellings.</summary>
    public HashSet<string> KnownWords { get; } = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Titles => TitleWords;

    public bool IsKnownForm(string form) => owners.ContainsKey(form);

    public static IEnumerable<string> FormsAt(CharacterProfile character, int chapter) =>
        new[] { character.Name }.Concat(character.Aliases)
            .Concat(character.Facts.Where(fact => fact.Key == "alias" && fact.ValidAt(chapter)).Select(fact => fact.Value))
            .Where(form => !string.IsNullOrWhiteSpace(form))
            .Select(Normalise)
            .Distinct(StringComparer.Ordinal);

    public IEnumerable<Mention> Find(string text)
    {
        if (pattern is null)
        {
            yield break;
        }

        foreach (Match match in pattern.Matches(text))
        {
            var form = Normalise(match.Value);
            var list = owners[form];
            yield return new Mention(match.Index, match.Length, form, list.Count == 1 ? list[0] : null);
        }
    }

    /// <summary>Text often joins a title to its name with a no-break space ("Mr.\u00A0Darcy").</summary>
    public static string Normalise(string form) => string.Join(' ', form.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static string Describe(CharacterProfile character) =>
        character.Aliases.Count == 0 ? character.Name : $"{character.Name} (also {string.Join(", ", character.Aliases)})";
}
