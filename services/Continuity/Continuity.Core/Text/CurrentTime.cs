using System.Text.RegularExpressions;

namespace Folio.Continuity.Core.Text;

/// <summary>A narration sentence that sets the story's present in a month or season ("It was now the middle of June").</summary>
public sealed record CurrentTimeStatement(Paragraph Paragraph, int Index, string Name, IReadOnlyList<int> Months, string Sentence);

/// <summary>Only assertions of the present count: plans and memories ("by Michaelmas", "last Easter") do not date the scene.</summary>
public static partial class CurrentTime
{
    public static IEnumerable<CurrentTimeStatement> Find(ChapterText chapter)
    {
        foreach (var paragraph in chapter.Paragraphs)
        {
            foreach (var pattern in new[] { ItWas(), HadCome(), ThatMorning() })
            {
                foreach (Match match in pattern.Matches(paragraph.Narration))
                {
                    var name = match.Groups["m"].Value;
                    yield return new CurrentTimeStatement(paragraph, match.Index, name, StoryTime.Months(name), paragraph.SentenceAt(match.Index));
                }
            }
        }
    }

    [GeneratedRegex(@"\b(?:[Ii]t|[Tt]his)\s+was\s+(?:now\s+)?(?:already\s+)?(?:(?:the\s+)?(?:very\s+)?(?:beginning|middle|end|close|start|first\s+week|last\s+week)\s+of\s+|early\s+in\s+|late\s+in\s+|early\s+|late\s+|mid-|a\s+(?:fine|cold|warm|wet|bright|grey)\s+)?(?<m>" + StoryTime.Alternation + @")\b(?!\s+(?:before|when)\b)")]
    private static partial Regex ItWas();

    [GeneratedRegex(@"\b(?<m>" + StoryTime.Alternation + @")\s+(?:had\s+)?(?:now\s+|at\s+last\s+|at\s+length\s+)?(?:come|arrived|began|begun|set\s+in|was\s+come)\b")]
    private static partial Regex HadCome();

    [GeneratedRegex(@"\b(?:[Tt]hat|[Tt]his|[Oo]ne)\s+(?<m>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:morning|evening|day|night|afternoon)\b")]
    private static partial Regex ThatMorning();
}
