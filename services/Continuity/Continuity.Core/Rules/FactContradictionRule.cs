using System.Text.RegularExpressions;
using Folio.Continuity.Core.Text;

namespace Folio.Continuity.Core.Rules;

/// <summary>
/// An attribute stated about a named character (eyes, hair, age, height), a title used with their name, or a relationship between two
/// characters contradicts the bible's facts valid at this chapter or, where the bible is silent, what an earlier chapter stated.
/// </summary>
public sealed partial class FactContradictionRule : IRule
{
    public string Id => "character.fact_contradiction";

    public string DefaultSeverity => Severities.Error;

    public string Description => "A stated attribute contradicts the character's facts valid at that chapter, or an earlier chapter.";

    private static readonly Dictionary<string, string> FactKeys = new(StringComparer.Ordinal)
    {
        [Attributes.EyeColour] = Attributes.EyeColour, ["eyes"] = Attributes.EyeColour, ["eye_color"] = Attributes.EyeColour,
        [Attributes.HairColour] = Attributes.HairColour, ["hair"] = Attributes.HairColour, ["hair_color"] = Attributes.HairColour,
        [Attributes.Age] = Attributes.Age, [Attributes.Height] = Attributes.Height,
    };

    public IEnumerable<Violation> Check(RuleInput input, string severity)
    {
        var number = input.Chapter.Number;
        foreach (var statement in Attributes.Find(input.Text, input.Names))
        {
            var facts = statement.Character.Facts
                .Where(fact => fact.ValidAt(number) && FactKeys.TryGetValue(fact.Key, out var key) && key == statement.Key)
                .ToList();
            if (facts.Count > 0)
            {
                if (facts.All(fact => Attributes.Contradicts(statement.Key, fact.Value, statement.Value, statement.Qualifier)))
                {
                    yield return Violation(statement, severity, $"{statement.Character.Name}'s {Label(statement.Key)} is {facts[0].Value} at chapter {number}, but here it is {statement.Value}.",
                        facts[0].Value, facts.Select(fact => FactEvidence.Of(statement.Character, fact)).ToList());
                }

                continue;
            }

            var earlier = input.Context.Earlier
                .Where(fact => fact.Character == statement.Character.Name && fact.Key == statement.Key && fact.Chapter < number)
                .OrderByDescending(fact => fact.Chapter)
                .FirstOrDefault();
            if (earlier is not null && Attributes.Contradicts(statement.Key, earlier.Value, statement.Value, statement.Qualifier))
            {
                yield return Violation(statement, severity, $"Chapter {earlier.Chapter} gave {statement.Character.Name}'s {Label(statement.Key)} as {earlier.Value}; here it is {statement.Value}.",
                    earlier.Value, [new Evidence(earlier.Chapter, earlier.Line, earlier.Text)]);
            }
        }

        foreach (var violation in Titles(input, severity).Concat(Relationships(input, severity)))
        {
            yield return violation;
        }
    }

    private Violation Violation(AttributeStatement statement, string severity, string description, string expected, IReadOnlyList<Evidence> evidence) =>
        new(Id, severity, new Location(statement.Paragraph.Line, statement.Sentence), description,
            $"Use {expected} for {statement.Character.Name}'s {Label(statement.Key)}, or change the bible if this is intended.", evidence);

    private static string Label(string key) => key.Replace('_', ' ');

    /// <summary>"Colonel Wickham" where Wickham is only ever "Mr. Wickham"; "Mrs. Collins" before the wedding (an alias fact from a later chapter).</summary>
    private IEnumerable<Violation> Titles(RuleInput input, string severity)
    {
        var number = input.Chapter.Number;
        var titled = input.Context.Book.Characters
            .SelectMany(character => NameIndex.FormsAt(character, number).Select(form => (character, form)))
            .Select(pair => (pair.character, pair.form, match: TitledName().Match(pair.form)))
            .Where(entry => entry.match.Success && entry.match.Length == entry.form.Length)
            .ToList();
        if (titled.Count == 0)
        {
            yield break;
        }

        foreach (var paragraph in input.Text.Paragraphs)
        {
            foreach (Match use in TitledName().Matches(paragraph.Text))
            {
                var surname = use.Groups["name"].Value;
                var form = NameIndex.Normalise(use.Value);
                if (input.Names.IsKnownForm(form) || IsKnownPrefix(input.Names, form, paragraph.Text, use.Index) || IsKnownPrefix(input.Names, use.Groups["name"].Value, paragraph.Text, use.Groups["name"].Index))
                {
                    continue;
                }

                var dated = input.Context.Book.Characters
                    .SelectMany(character => character.Facts.Where(fact => fact.Key == "alias" && fact.Value == form).Select(fact => (character, fact)))
                    .FirstOrDefault();
                if (dated.character is not null)
                {
                    yield return new Violation(Id, severity, new Location(paragraph.Line, paragraph.SentenceAt(use.Index)),
                        $"{dated.character.Name} is not {form} at chapter {number}.", $"Call {dated.character.Name} {dated.character.Name} here.",
                        [FactEvidence.Of(dated.character, dated.fact)]);
                    continue;
                }

                var owners = titled.Where(entry => entry.match.Groups["name"].Value == surname).ToList();
                if (owners.Count == 0 || owners.Any(entry => entry.match.Groups["title"].Value == use.Groups["title"].Value && owners.Select(o => o.character).Distinct().Count() > 1))
                {
                    continue;
                }

                var known = string.Join(" or ", owners.Select(entry => entry.form).Distinct());
                yield return new Violation(Id, severity, new Location(paragraph.Line, paragraph.SentenceAt(use.Index)),
                    $"No one is called {form}: the bible knows {known}.", $"Use {known}.",
                    owners.Select(entry => new Evidence(null, 0, $"{entry.character.Name} is called {entry.form} (bible)")).ToList());
            }
        }
    }

    private static bool IsKnownPrefix(NameIndex names, string form, string text, int index) =>
        names.Find(text[index..Math.Min(text.Length, index + form.Length + 40)]).Any(mention => mention.Index == 0 && mention.Length > form.Length);

    /// <summary>"Jane's cousin Elizabeth" when the bible says they are sisters.</summary>
    private IEnumerable<Violation> Relationships(RuleInput input, string severity)
    {
        foreach (var paragraph in input.Text.Paragraphs)
        {
            var mentions = input.Names.Find(paragraph.Text).Where(mention => mention.Character is not null).ToList();
            for (var index = 0; index + 1 < mentions.Count; index++)
            {
                var (first, second) = (mentions[index], mentions[index + 1]);
                var between = paragraph.Text[(first.Index + first.Length)..second.Index];
                var stated = Relation().Match(between);
                if (!stated.Success || first.Character == second.Character)
                {
                    continue;
                }

                var relation = stated.Groups["relation"].Value.ToLowerInvariant();
                var known = KnownRelation(first.Character!, second.Character!, input.Chapter.Number);
                if (known is null || Family(known.Value.Fact.Value) == Family(relation))
                {
                    continue;
                }

                yield return new Violation(Id, severity, new Location(paragraph.Line, paragraph.SentenceAt(first.Index)),
                    $"{second.Character!.Name} is {first.Character!.Name}'s {known.Value.Fact.Value}, not {relation}.",
                    $"Call {second.Character.Name} {first.Character.Name}'s {known.Value.Fact.Value}.",
                    [FactEvidence.Of(known.Value.Owner, known.Value.Fact)]);
            }
        }
    }

    /// <summary>What <paramref name="other"/> is to <paramref name="character"/>: a <c>relationship:&lt;other&gt;</c> fact of the character.</summary>
    private static (CharacterProfile Owner, Fact Fact)? KnownRelation(CharacterProfile character, CharacterProfile other, int chapter)
    {
        var otherNames = new[] { other.Name }.Concat(other.Aliases).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fact = character.Facts.FirstOrDefault(fact => fact.ValidAt(chapter) && fact.Key.StartsWith("relationship:", StringComparison.Ordinal)
            && otherNames.Contains(fact.Key["relationship:".Length..].Trim()));
        return fact is null ? null : (character, fact);
    }

    private static string Family(string relation)
    {
        var words = relation.ToLowerInvariant().Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? "" : words[^1];
    }

    [GeneratedRegex(@"\b(?<title>Mr\.|Mrs\.|Miss|Sir|Lady|Lord|Colonel|Captain|Dr\.|Lieutenant|General)\s+(?<name>(?:de\s+)?[A-Z][a-z]+)")]
    private static partial Regex TitledName();

    [GeneratedRegex(@"^['’]s\s+(?:(?:eldest|youngest|elder|younger|dear|dearest|favourite|only|beloved|own)\s+)?(?<relation>sister|brother|cousin|aunt|uncle|father|mother|husband|wife|daughter|son|niece|nephew)\s*,?\s*$")]
    private static partial Regex Relation();
}
