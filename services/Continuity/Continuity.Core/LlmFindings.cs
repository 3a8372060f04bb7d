using System.Text;
using Folio.Continuity.Core.Text;

namespace Folio.Continuity.Core;

/// <summary>A finding an LLM reviewer reported, before Continuity accepts it: the words it flags and what it relies on.</summary>
public sealed record LlmFinding(string Rule, string Severity, int? Line, string Quote, string Description, string? Suggestion, IReadOnlyList<Evidence> Evidence);

/// <summary>
/// A model's findings are claims, so only those Continuity can hold to the same standard as its rules are kept: the rule id is
/// <c>llm.&lt;kind&gt;</c> with a known severity, the quote is in the chapter (compared without case, runs of whitespace or typographic
/// quote marks), and at least one piece of evidence remains — evidence from a later chapter is removed, and evidence from this chapter
/// must be in it. The location is the sentence around the quote, so waivers work as they do for rule findings.
/// </summary>
public static class LlmFindings
{
    public const string RulePrefix = "llm.";

    public static (IReadOnlyList<Violation> Accepted, int Dropped) Accept(string chapterMarkdown, int chapterNumber, IReadOnlyList<LlmFinding> findings)
    {
        var paragraphs = ChapterText.Parse(chapterMarkdown).Paragraphs.Select(paragraph => (Paragraph: paragraph, Folded: Fold(paragraph.Text))).ToList();
        var accepted = new List<Violation>();
        foreach (var finding in findings)
        {
            var location = Locate(paragraphs, finding.Quote, finding.Line);
            var evidence = finding.Evidence
                .Where(item => !string.IsNullOrWhiteSpace(item.Text))
                .Where(item => item.Chapter is null || item.Chapter < chapterNumber || (item.Chapter == chapterNumber && Locate(paragraphs, item.Text, item.Line) is not null))
                .ToList();
            if (finding.Rule.StartsWith(RulePrefix, StringComparison.Ordinal) && finding.Rule.Length > RulePrefix.Length && Severities.All.Contains(finding.Severity)
                && location is not null && evidence.Count > 0)
            {
                accepted.Add(new Violation(finding.Rule, finding.Severity, location, finding.Description, finding.Suggestion, evidence));
            }
        }

        var distinct = accepted.DistinctBy(violation => violation.Fingerprint).ToList();
        return (distinct, findings.Count - distinct.Count);
    }

    /// <summary>The sentence around <paramref name="quote"/>, on the line the model named when the quote is there, else on the first line that has it.</summary>
    private static Location? Locate(List<(Paragraph Paragraph, (string Text, int[] Map) Folded)> paragraphs, string quote, int? line)
    {
        var wanted = Fold(quote.Trim().Trim('"', '“', '”')).Text;
        if (wanted.Length == 0)
        {
            return null;
        }

        foreach (var (paragraph, folded) in paragraphs.OrderBy(entry => entry.Paragraph.Line == line ? 0 : 1))
        {
            var at = folded.Text.IndexOf(wanted, StringComparison.Ordinal);
            if (at >= 0)
            {
                return new Location(paragraph.Line, paragraph.SentenceAt(folded.Map[at]));
            }
        }

        return null;
    }

    /// <summary>Lower case, straight quote marks and dashes, single spaces; <c>Map</c> gives each folded character's index in the original.</summary>
    private static (string Text, int[] Map) Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        var map = new List<int>(text.Length);
        for (var index = 0; index < text.Length; index++)
        {
            var c = text[index];
            if (char.IsWhiteSpace(c))
            {
                if (folded.Length > 0 && folded[^1] != ' ')
                {
                    folded.Append(' ');
                    map.Add(index);
                }

                continue;
            }

            folded.Append(c switch
            {
                '‘' or '’' => '\'',
                '“' or '”' => '"',
                '–' or '—' => '-',
                _ => char.ToLowerInvariant(c),
            });
            map.Add(index);
        }

        if (folded.Length > 0 && folded[^1] == ' ')
        {
            folded.Length--;
            map.RemoveAt(map.Count - 1);
        }

        return (folded.ToString(), map.ToArray());
    }
}
