using System.Text.RegularExpressions;
using Folio.Continuity.Core.Text;

namespace Folio.Continuity.Core.Rules;

/// <summary>A capitalised word that is no known name but one or two letters away from one ("Bingly", "Elizabteh"): likely a misspelling.</summary>
public sealed partial class UnknownNameRule : IRule
{
    public string Id => "character.unknown_name";

    public string DefaultSeverity => Severities.Warning;

    public string Description => "A capitalised name close to a known character or alias: likely a misspelling.";

    public IEnumerable<Violation> Check(RuleInput input, string severity)
    {
        var names = NameWords(input);
        if (names.Count == 0)
        {
            yield break;
        }

        var lowercase = LowercaseWords(input.Text);
        foreach (var paragraph in input.Text.Paragraphs)
        {
            foreach (Match word in CapitalisedWord().Matches(paragraph.Text))
            {
                var candidate = word.Groups["word"].Value;
                if (input.Names.KnownWords.Contains(candidate) || lowercase.Contains(candidate.ToLowerInvariant()) || Common.Contains(candidate))
                {
                    continue;
                }

                var closest = Closest(candidate, names);
                if (closest is null)
                {
                    continue;
                }

                yield return new Violation(Id, severity, new Location(paragraph.Line, paragraph.SentenceAt(word.Index)),
                    $"\"{candidate}\" is not a known name; it is close to {closest.Value.Word} ({closest.Value.Character.Name}).",
                    $"Did you mean {closest.Value.Word}? If {candidate} is a new character, add them to the bible.",
                    [new Evidence(null, 0, $"{NameIndex.Describe(closest.Value.Character)} (bible)")]);
            }
        }
    }

    /// <summary>Known name words with their owners: plural and possessive forms of them ("Bennets") are not misspellings.</summary>
    private static Dictionary<string, CharacterProfile> NameWords(RuleInput input)
    {
        var words = new Dictionary<string, CharacterProfile>(StringComparer.Ordinal);
        foreach (var character in input.Context.Book.Characters)
        {
            foreach (var form in NameIndex.FormsAt(character, input.Chapter.Number))
            {
                foreach (Match word in ChapterText.WordPattern().Matches(form))
                {
                    if (word.Length >= 4 && char.IsUpper(word.Value[0]) && !NameIndex.Titles.Contains(word.Value))
                    {
                        words.TryAdd(word.Value, character);
                    }
                }
            }
        }

        return words;
    }

    private static (string Word, CharacterProfile Character)? Closest(string candidate, Dictionary<string, CharacterProfile> names)
    {
        if (candidate.Length < 4)
        {
            return null;
        }

        var limit = candidate.Length >= 7 ? 2 : 1;
        (string Word, CharacterProfile Character)? best = null;
        var bestDistance = int.MaxValue;
        foreach (var (word, character) in names)
        {
            if (word[0] != candidate[0] || IsInflection(candidate, word))
            {
                continue;
            }

            var distance = EditDistance.Between(candidate, word, limit);
            if (distance > 0 && distance <= limit && distance < bestDistance && !(distance == 2 && EnglishSuffix().IsMatch(candidate)))
            {
                (best, bestDistance) = ((word, character), distance);
            }
        }

        return best;
    }

    private static bool IsInflection(string candidate, string name) =>
        candidate == name + "s" || candidate == name + "es" || candidate == name + "'s" || candidate == name + "’s";

    private static HashSet<string> LowercaseWords(ChapterText text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var paragraph in text.Paragraphs)
        {
            foreach (Match word in LowercaseWord().Matches(paragraph.Text))
            {
                words.Add(word.Value);
            }
        }

        return words;
    }

    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December",
        "English", "England", "London", "Heaven", "Heavens", "Lord", "Lady", "Miss", "Madam", "Master", "Christmas", "Easter",
    };

    /// <summary>Capitalised at a sentence start, "Calling" is two edits from "Collins"; names seldom end like English verbs and adverbs.</summary>
    [GeneratedRegex(@"(?:ing|ed|ly|ness|tion|ment|ful|less)$")]
    private static partial Regex EnglishSuffix();

    [GeneratedRegex(@"(?<![\p{L}'’-])(?<word>\p{Lu}\p{Ll}+)(?:['’]s)?(?![\p{L}-])")]
    private static partial Regex CapitalisedWord();

    [GeneratedRegex(@"(?<![\p{L}])\p{Ll}+(?![\p{L}])")]
    private static partial Regex LowercaseWord();
}
