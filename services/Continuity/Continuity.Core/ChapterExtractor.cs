using System.Text.RegularExpressions;
using Folio.Continuity.Core.Rules;
using Folio.Continuity.Core.Text;

namespace Folio.Continuity.Core;

public sealed record Appearance(string Character, int Mentions, int FirstLine, string FirstText);

public sealed record UnknownName(string Name, int Mentions, int FirstLine, string FirstText);

/// <summary>What one chapter tells later checks and the writer: who appears, unknown names, attributes stated, and the months asserted.</summary>
public sealed record ChapterExtraction(
    IReadOnlyList<Appearance> Appearances,
    IReadOnlyList<UnknownName> UnknownNames,
    IReadOnlyList<EstablishedFact> Facts,
    IReadOnlyList<DatedStatement> Dates);

public static partial class ChapterExtractor
{
    /// <summary>Capitalised words that are not names even when they recur mid-sentence.</summary>
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "I", "The", "A", "An", "And", "But", "Or", "If", "In", "On", "At", "It", "He", "She", "They", "We", "You", "His", "Her", "Their", "My", "Our", "Your",
        "Mr", "Mrs", "Miss", "Sir", "Lady", "Lord", "Colonel", "Captain", "Dr", "God", "Heaven", "Chapter", "Monday", "Tuesday", "Wednesday", "Thursday",
        "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        "Christmas", "Easter", "English", "French", "Oh", "Ah", "Yes", "No", "Madam", "Dear", "What", "Why", "How", "When", "Where", "Who", "Well", "This", "That",
    };

    public static ChapterExtraction Extract(ChapterToCheck chapter, BookFacts book)
    {
        var input = new RuleInput(chapter, CheckContext.For(book));
        var appearances = new Dictionary<string, (int Count, Paragraph Paragraph, int Index)>(StringComparer.Ordinal);
        foreach (var paragraph in input.Text.Paragraphs)
        {
            foreach (var mention in input.Names.Find(paragraph.Text))
            {
                if (mention.Character is null)
                {
                    continue;
                }

                appearances[mention.Character.Name] = appearances.TryGetValue(mention.Character.Name, out var seen)
                    ? (seen.Count + 1, seen.Paragraph, seen.Index)
                    : (1, paragraph, mention.Index);
            }
        }

        var facts = Attributes.Find(input.Text, input.Names)
            .Select(statement => new EstablishedFact(statement.Character.Name, statement.Key, statement.Value, chapter.Number, statement.Paragraph.Line, statement.Sentence))
            .Where(fact => fact.Key != Attributes.Age)
            .ToList();
        var dates = CurrentTime.Find(input.Text)
            .Where(statement => statement.Months.Count == 1)
            .Select(statement => new DatedStatement(chapter.Number, statement.Paragraph.Line, statement.Sentence, statement.Months[0]))
            .ToList();
        return new ChapterExtraction(
            appearances.Select(pair => new Appearance(pair.Key, pair.Value.Count, pair.Value.Paragraph.Line, pair.Value.Paragraph.SentenceAt(pair.Value.Index)))
                .OrderByDescending(appearance => appearance.Mentions).ThenBy(appearance => appearance.Character, StringComparer.Ordinal).ToList(),
            UnknownNames(input), facts, dates);
    }

    /// <summary>Capitalised words seen at least twice, never at a sentence start only, that no name, alias or place explains.</summary>
    private static List<UnknownName> UnknownNames(RuleInput input)
    {
        var lowercase = new HashSet<string>(StringComparer.Ordinal);
        var found = new Dictionary<string, (int Count, Paragraph Paragraph, int Index)>(StringComparer.Ordinal);
        foreach (var paragraph in input.Text.Paragraphs)
        {
            foreach (Match word in Lowercase().Matches(paragraph.Text))
            {
                lowercase.Add(word.Value);
            }

            foreach (Match word in MidSentenceCapital().Matches(paragraph.Text))
            {
                var name = word.Groups["name"].Value;
                if (NotNames.Contains(name) || input.Names.KnownWords.Contains(name))
                {
                    continue;
                }

                found[name] = found.TryGetValue(name, out var seen) ? (seen.Count + 1, seen.Paragraph, seen.Index) : (1, paragraph, word.Groups["name"].Index);
            }
        }

        return found.Where(pair => pair.Value.Count >= 2 && !lowercase.Contains(pair.Key.ToLowerInvariant()))
            .Select(pair => new UnknownName(pair.Key, pair.Value.Count, pair.Value.Paragraph.Line, pair.Value.Paragraph.SentenceAt(pair.Value.Index)))
            .OrderByDescending(name => name.Mentions).ThenBy(name => name.Name, StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex(@"(?<=[\p{Ll},;]\s+)(?<name>\p{Lu}\p{Ll}{2,})(?![\p{L}])")]
    private static partial Regex MidSentenceCapital();

    [GeneratedRegex(@"(?<![\p{L}])\p{Ll}+(?![\p{L}])")]
    private static partial Regex Lowercase();
}
