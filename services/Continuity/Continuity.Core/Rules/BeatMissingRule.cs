using System.Text.RegularExpressions;
using Folio.Continuity.Core.Text;

namespace Folio.Continuity.Core.Rules;

/// <summary>
/// A beat of the brief counts as covered when three consecutive paragraphs contain at least half of its content words
/// (names always count; words compared by a crude stem so "lights" covers "lit the light").
/// </summary>
public sealed partial class BeatMissingRule : IRule
{
    public string Id => "brief.beat_missing";

    public string DefaultSeverity => Severities.Error;

    public string Description => "A beat of the chapter's brief is not covered.";

    public IEnumerable<Violation> Check(RuleInput input, string severity)
    {
        var beats = input.Chapter.Brief?.Beats ?? [];
        if (beats.Count == 0)
        {
            yield break;
        }

        var paragraphs = input.Text.Paragraphs.Select(paragraph => Stems(paragraph.Text)).ToList();
        for (var index = 0; index < beats.Count; index++)
        {
            var beat = beats[index];
            var wanted = Stems(beat);
            if (wanted.Count == 0 || Covered(wanted, paragraphs))
            {
                continue;
            }

            var last = input.Text.Paragraphs.Count > 0 ? input.Text.Paragraphs[^1] : null;
            yield return new Violation(Id, severity, new Location(last?.Line ?? 1, last?.SentenceAt(last.Text.Length - 1) ?? ""),
                $"Beat {index + 1} of the brief is not covered: \"{beat}\".", "Write the scene the beat describes, or change the brief.",
                [new Evidence(input.Chapter.Number, 0, $"Brief beat {index + 1}: {beat}")]);
        }
    }

    private static bool Covered(HashSet<string> wanted, List<HashSet<string>> paragraphs)
    {
        var needed = (int)Math.Ceiling(wanted.Count * 0.5);
        for (var start = 0; start < paragraphs.Count; start++)
        {
            var found = wanted.Count(word => paragraphs.Skip(start).Take(3).Any(paragraph => paragraph.Contains(word)));
            if (found >= needed)
            {
                return true;
            }
        }

        return false;
    }

    private static HashSet<string> Stems(string text)
    {
        var stems = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match word in ChapterText.WordPattern().Matches(text))
        {
            var lower = word.Value.ToLowerInvariant();
            if (lower.Length >= 3 && !StopWords.Contains(lower))
            {
                stems.Add(Stem(lower));
            }
        }

        return stems;
    }

    private static string Stem(string word)
    {
        foreach (var suffix in new[] { "'s", "’s", "ing", "ed", "es", "s", "ly" })
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= 3)
            {
                return word[..^suffix.Length];
            }
        }

        return word;
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "but", "for", "with", "from", "that", "this", "his", "her", "hers", "him", "she", "they", "them", "their", "was", "were", "has", "have", "had",
        "are", "who", "what", "when", "where", "which", "into", "onto", "upon", "about", "after", "before", "over", "under", "then", "than", "its", "not", "all",
        "one", "out", "off", "very", "some", "any", "each", "our", "your", "you", "will", "would", "could", "should", "can", "may", "might", "must", "does", "did",
    };
}
