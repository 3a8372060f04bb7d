using System.Text.RegularExpressions;
using Folio.Generation.Core.Agents;

namespace Folio.Generation.Core.Offline;

/// <summary>
/// Fills the phrase bank's templates for one chapter: never the same sentence twice, living characters only in
/// acting and speaking roles, the dead only in memories, and every fact it mentions taken from the bible.
/// A character is introduced by full name and called by first name afterwards, as a novelist would.
/// </summary>
internal sealed partial class SentenceComposer
{
    /// <summary>Enough tries to find an unused sentence of a wanted length; the bank holds millions of fillings.</summary>
    private const int Attempts = 80;

    /// <summary>How many sentences must pass before a template may be used again, so neighbours never echo.</summary>
    private const int TemplateRest = 12;

    private static readonly Dictionary<string, string[]> Lists = new(StringComparer.Ordinal)
    {
        ["action"] = PhraseBank.Actions,
        ["actionpresent"] = PhraseBank.ActionsPresent,
        ["gesture"] = PhraseBank.Gestures,
        ["together"] = PhraseBank.Together,
        ["object"] = PhraseBank.Objects,
        ["feature"] = PhraseBank.Features,
        ["feeling"] = PhraseBank.Feelings,
        ["feelingadjective"] = PhraseBank.FeelingAdjectives,
        ["sound"] = PhraseBank.Sounds,
        ["smell"] = PhraseBank.Smells,
        ["thought"] = PhraseBank.Thoughts,
        ["line"] = PhraseBank.Lines,
        ["question"] = PhraseBank.Questions,
        ["said"] = PhraseBank.SpeechVerbs,
    };

    private readonly SplitMix64 _random;
    private readonly Cast _cast;
    private readonly StoryCharacter? _pointOfView;
    private readonly string _place;
    private readonly IReadOnlyList<string> _elsewhere;
    private readonly string[] _weather;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unmentioned;
    private readonly Dictionary<string, string> _shortNames;
    private readonly Queue<string> _recentTemplates = new();

    public SentenceComposer(SplitMix64 random, Cast cast, string pointOfView, string place, IReadOnlyList<string> elsewhere)
    {
        _random = random;
        _cast = cast;
        _pointOfView = cast.Living.FirstOrDefault(character => character.Name.Equals(pointOfView, StringComparison.OrdinalIgnoreCase));
        _place = place;
        _elsewhere = elsewhere;
        _weather = random.Pick(PhraseBank.WeatherFamilies);
        _unmentioned = new HashSet<string>(cast.Living.Concat(cast.Dead).Select(character => character.Name), StringComparer.Ordinal);
        _shortNames = ShortNames(cast.Living.Concat(cast.Dead).Select(character => character.Name).ToArray());
    }

    /// <summary>Sentences the reader has just read elsewhere (the previous chapter's ending) are not written again.</summary>
    public void Avoid(string text)
    {
        foreach (var sentence in SentenceEnd().Split(text))
        {
            _written.Add(Prose.Normalise(sentence));
        }
    }

    /// <summary>The time of day (an index into <see cref="PhraseBank.TimePhases"/>) the story has reached.</summary>
    public int Phase { get; set; }

    public string Opening(int maxWords) => Compose(() => (_random.Pick(PhraseBank.Openings), null), maxWords);

    public string BeatOpening(string beatClause, int maxWords) =>
        Compose(() => (_random.Pick(PhraseBank.BeatOpenings), new Dictionary<string, string> { ["beat"] = beatClause }), maxWords);

    /// <summary>A sentence of the chapter's body: narration, dialogue, a detail the bible fixes, or a memory of the dead.</summary>
    public string Next(int maxWords) => Compose(ChooseBodyTemplate, maxWords);

    private (string Template, Dictionary<string, string>? Given) ChooseBodyTemplate()
    {
        var roll = _random.Next(100);
        var deadUnmentioned = _cast.Dead.Any(character => _unmentioned.Contains(character.Name));
        if (_cast.Dead.Count > 0 && (roll < 5 || (deadUnmentioned && roll < 30)))
        {
            return (_random.Pick(PhraseBank.Memory), null);
        }

        if (roll < 32)
        {
            return (_random.Pick(PhraseBank.Dialogue), null);
        }

        if (roll < 40 && Detail() is { } detail)
        {
            return detail;
        }

        return (_random.Pick(PhraseBank.Narration), null);
    }

    /// <summary>An eye or hair detail for someone whose bible entry fixes it, or null when nobody's does.</summary>
    private (string Template, Dictionary<string, string>? Given)? Detail()
    {
        var (fact, templates) = _random.Chance(50) ? ("eye_colour", PhraseBank.EyeDetail) : ("hair", PhraseBank.HairDetail);
        var candidates = _cast.Living.Where(character => Cast.Fact(character, fact) is not null).ToArray();
        if (candidates.Length == 0)
        {
            return null;
        }

        var character = _random.Pick(candidates);
        return (_random.Pick(templates), new Dictionary<string, string> { ["a"] = character.Name, ["colour"] = Cast.Fact(character, fact)! });
    }

    private string Compose(Func<(string Template, Dictionary<string, string>? Given)> choose, int maxWords)
    {
        (string Sentence, string Template)? shortest = null;
        var shortestWords = int.MaxValue;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (template, given) = choose();
            if (!CanFill(template) || _recentTemplates.Contains(template))
            {
                continue;
            }

            var sentence = Prose.Capitalise(Fill(template, given ?? []));
            if (_written.Contains(Prose.Normalise(sentence)))
            {
                continue;
            }

            var words = Prose.CountWords(sentence);
            if (words <= maxWords)
            {
                return Accept(sentence, template);
            }

            if (words < shortestWords)
            {
                (shortest, shortestWords) = ((sentence, template), words);
            }
        }

        return shortest is var (fallback, fallbackTemplate)
            ? Accept(fallback, fallbackTemplate)
            : throw new InvalidOperationException("The phrase bank could not produce a new sentence for this chapter.");
    }

    private string Accept(string sentence, string template)
    {
        _written.Add(Prose.Normalise(sentence));
        _recentTemplates.Enqueue(template);
        if (_recentTemplates.Count > TemplateRest)
        {
            _recentTemplates.Dequeue();
        }

        _unmentioned.RemoveWhere(name => sentence.Contains(name, StringComparison.Ordinal));
        return sentence;
    }

    private bool CanFill(string template) =>
        (!template.Contains("{b}", StringComparison.Ordinal) || _cast.Living.Count >= 2)
        && (!template.Contains("{dead}", StringComparison.Ordinal) || _cast.Dead.Count > 0)
        && (!template.Contains("{elsewhere}", StringComparison.Ordinal) || _elsewhere.Count > 0);

    private string Fill(string template, Dictionary<string, string> values)
    {
        var introduced = new HashSet<string>(StringComparer.Ordinal);
        return SlotPattern().Replace(template, match =>
        {
            var slot = match.Groups[1].Value.ToLowerInvariant();
            if (!values.TryGetValue(slot, out var value))
            {
                value = Choose(slot, values);
                values[slot] = value;
            }

            return slot is "a" or "b" or "dead" ? Call(value, introduced) : value;
        });
    }

    /// <summary>The full name the first time a character appears in the chapter, the short name after that.</summary>
    private string Call(string name, HashSet<string> introducedInThisSentence)
    {
        if (_unmentioned.Contains(name) && introducedInThisSentence.Add(name))
        {
            return name;
        }

        return _shortNames.GetValueOrDefault(name, name);
    }

    /// <summary>First names, where a first name is capitalised and belongs to only one member of the cast.</summary>
    private static Dictionary<string, string> ShortNames(string[] names)
    {
        static string First(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var firstNameCounts = names.GroupBy(First, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        return names.Distinct(StringComparer.Ordinal).ToDictionary(
            name => name,
            name => First(name) is var first && first != name && char.IsUpper(first[0]) && firstNameCounts[first] == 1 ? first : name,
            StringComparer.Ordinal);
    }

    private string Choose(string slot, Dictionary<string, string> chosen) => slot switch
    {
        "a" => Actor(Except(chosen.GetValueOrDefault("b"))),
        "b" => Prefer(Except(chosen.GetValueOrDefault("a"))),
        "dead" => Prefer(_cast.Dead),
        "place" => _place,
        "elsewhere" => _random.Pick(_elsewhere),
        "time" => _random.Pick(PhraseBank.TimePhases[Phase]),
        "weather" => _random.Pick(_weather),
        _ => _random.Pick(Lists[slot]),
    };

    /// <summary>Whoever has not appeared yet comes first, then the point-of-view character half the time.</summary>
    private string Actor(IReadOnlyList<StoryCharacter> candidates)
    {
        if (candidates.Any(character => _unmentioned.Contains(character.Name)) || _pointOfView is null
            || !candidates.Contains(_pointOfView) || _random.Chance(50))
        {
            return Prefer(candidates);
        }

        return _pointOfView.Name;
    }

    private StoryCharacter[] Except(string? name) => _cast.Living.Where(character => character.Name != name).ToArray();

    private string Prefer(IReadOnlyList<StoryCharacter> characters)
    {
        var unmentioned = characters.Where(character => _unmentioned.Contains(character.Name)).ToArray();
        return unmentioned.Length > 0 ? unmentioned[0].Name : _random.Pick(characters).Name;
    }

    [GeneratedRegex(@"\{(\w+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex SlotPattern();

    [GeneratedRegex(@"(?<=[.!?]""?)\s+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();
}
