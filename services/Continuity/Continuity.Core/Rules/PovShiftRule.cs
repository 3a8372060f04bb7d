using System.Text.RegularExpressions;

namespace Folio.Continuity.Core.Rules;

/// <summary>
/// Third-person narration (dialogue and letters in quotation marks excepted) that says "I" or "my" in a paragraph,
/// or a first-person chapter whose narration never does.
/// </summary>
public sealed partial class PovShiftRule : IRule
{
    public string Id => "pov.shift";

    public string DefaultSeverity => Severities.Warning;

    public string Description => "The point of view differs from the brief or the book's style.";

    public IEnumerable<Violation> Check(RuleInput input, string severity)
    {
        var (expected, source) = input.Chapter.Brief?.PointOfView is { Length: > 0 } brief
            ? (Normalise(brief), new Evidence(input.Chapter.Number, 0, $"Brief: point of view {brief}"))
            : (Normalise(input.Style.PointOfView), new Evidence(null, 0, $"Style: point of view {input.Style.PointOfView}"));
        if (expected == "third")
        {
            foreach (var paragraph in input.Text.Paragraphs)
            {
                var firstPerson = FirstPerson().Matches(paragraph.Narration);
                if (firstPerson.Count >= 2)
                {
                    yield return new Violation(Id, severity, new Location(paragraph.Line, paragraph.SentenceAt(firstPerson[0].Index)),
                        $"The narration switches to the first person (\"{firstPerson[0].Value}\") in a third-person chapter.",
                        "Keep the narration in the third person; put first-person words in dialogue.", [source]);
                }
            }
        }
        else if (expected == "first")
        {
            var narration = string.Join("\n", input.Text.Paragraphs.Select(paragraph => paragraph.Narration));
            if (Folio.Continuity.Core.Text.ChapterText.CountWords(narration) >= 200 && FirstPerson().Count(narration) == 0)
            {
                var first = input.Text.Paragraphs[0];
                yield return new Violation(Id, severity, new Location(first.Line, first.SentenceAt(0)),
                    "The chapter's narration is never in the first person, but the chapter should be.",
                    "Narrate through the point-of-view character's \"I\".", [source]);
            }
        }
    }

    /// <summary>"first", "third" or null; a character's name as the brief's point of view means a third-person limited chapter.</summary>
    private static string? Normalise(string? pointOfView)
    {
        if (string.IsNullOrWhiteSpace(pointOfView))
        {
            return null;
        }

        var lower = pointOfView.ToLowerInvariant();
        return lower.Contains("first", StringComparison.Ordinal) ? "first"
            : lower.Contains("second", StringComparison.Ordinal) ? null
            : "third";
    }

    [GeneratedRegex(@"(?<![\p{L}'’])(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)(?![\p{L}'’])")]
    private static partial Regex FirstPerson();
}
