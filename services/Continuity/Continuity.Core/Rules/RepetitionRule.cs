using System.Text.RegularExpressions;
using Folio.Continuity.Core.Text;

namespace Folio.Continuity.Core.Rules;

/// <summary>
/// A banned phrase from the style guide, or a five-word phrase of narration repeated more often than the threshold allows
/// (reported once, where it crosses the threshold, with the earlier uses as evidence). A phrase lies within one sentence:
/// "as the sun came up. Tom" is two sentences that happen to meet, not a phrase a writer repeats.
/// </summary>
public sealed partial class RepetitionRule : IRule
{
    private const int PhraseWords = 5;

    public string Id => "style.repetition";

    public string DefaultSeverity => Severities.Warning;

    public string Description => "A phrase is repeated beyond the threshold, or a banned phrase is used.";

    public IEnumerable<Violation> Check(RuleInput input, string severity) => Banned(input, severity).Concat(Repeated(input, severity));

    private IEnumerable<Violation> Banned(RuleInput input, string severity)
    {
        foreach (var phrase in input.Style.BannedPhrases ?? [])
        {
            if (string.IsNullOrWhiteSpace(phrase))
            {
                continue;
            }

            var pattern = new Regex($@"(?<![\p{{L}}]){Regex.Escape(phrase.Trim()).Replace(@"\ ", @"\s+", StringComparison.Ordinal)}(?![\p{{L}}])",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
            foreach (var paragraph in input.Text.Paragraphs)
            {
                foreach (Match match in pattern.Matches(paragraph.Text))
                {
                    yield return new Violation(Id, severity, new Location(paragraph.Line, paragraph.SentenceAt(match.Index)),
                        $"\"{match.Value}\" is on the book's banned-phrase list.", "Say it in your own words.",
                        [new Evidence(null, 0, $"Style: banned phrase \"{phrase.Trim()}\"")]);
                }
            }
        }
    }

    private IEnumerable<Violation> Repeated(RuleInput input, string severity)
    {
        var threshold = Math.Max(2, input.Style.RepetitionThreshold);
        var words = new List<(string Word, Paragraph Paragraph, int Index, int Sentence)>();
        var sentence = 0;
        foreach (var paragraph in input.Text.Paragraphs)
        {
            sentence++;
            var previousEnd = 0;
            foreach (Match word in ChapterText.WordPattern().Matches(paragraph.Narration))
            {
                var gap = paragraph.Narration.AsSpan(previousEnd, word.Index - previousEnd);
                if (gap.IndexOfAny(SentenceEnds) >= 0 && !(gap.Trim().SequenceEqual(".") && words.Count > 0 && Abbreviations.Contains(words[^1].Word)))
                {
                    sentence++;
                }

                words.Add((word.Value.ToLowerInvariant(), paragraph, word.Index, sentence));
                previousEnd = word.Index + word.Length;
            }
        }

        var seen = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var reportedUntil = -1;
        for (var start = 0; start + PhraseWords <= words.Count; start++)
        {
            if (words[start].Sentence != words[start + PhraseWords - 1].Sentence)
            {
                continue;
            }

            var phrase = string.Join(' ', words.Skip(start).Take(PhraseWords).Select(word => word.Word));
            if (!seen.TryGetValue(phrase, out var starts))
            {
                seen[phrase] = starts = [];
            }

            if (starts.Count > 0 && start - starts[^1] < PhraseWords)
            {
                continue;
            }

            starts.Add(start);
            if (starts.Count != threshold || Trivial(phrase))
            {
                continue;
            }

            if (start <= reportedUntil)
            {
                reportedUntil = start + PhraseWords;
                continue;
            }

            reportedUntil = start + PhraseWords;
            var here = words[start];
            yield return new Violation(Id, severity, new Location(here.Paragraph.Line, here.Paragraph.SentenceAt(here.Index)),
                $"\"{phrase}\" appears {threshold} times in this chapter's narration.", "Vary the wording.",
                starts.Take(threshold - 1).Select(index => words[index]).Select(word => new Evidence(input.Chapter.Number, word.Paragraph.Line, word.Paragraph.SentenceAt(word.Index))).ToList());
        }
    }

    private static readonly HashSet<string> Abbreviations = new(StringComparer.Ordinal) { "mr", "mrs", "ms", "dr", "st" };

    private static readonly System.Buffers.SearchValues<char> SentenceEnds = System.Buffers.SearchValues.Create(".!?;:…");

    /// <summary>Phrases made only of function words ("as soon as it was") are grammar, not style.</summary>
    private static bool Trivial(string phrase) => phrase.Split(' ').Count(word => !FunctionWords.Contains(word)) < 2;

    private static readonly HashSet<string> FunctionWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "that", "this", "it", "is", "was", "were", "be", "been",
        "had", "has", "have", "he", "she", "they", "her", "his", "him", "them", "their", "i", "you", "we", "not", "no", "so", "than", "then", "which", "who", "what",
        "would", "could", "should", "will", "shall", "may", "might", "must", "do", "did", "very", "more", "most", "much", "such", "all", "any", "some", "if", "when",
        "there", "here", "its", "into", "upon", "one", "own", "too", "only", "said", "mr", "mrs", "miss",
    };
}
