using System.Text.RegularExpressions;

namespace Folio.Continuity.Core.Rules;

/// <summary>A narration paragraph whose subject–verb pairs are mostly in the other tense than the book's (dialogue excepted).</summary>
public sealed partial class TenseShiftRule : IRule
{
    public string Id => "tense.shift";

    public string DefaultSeverity => Severities.Warning;

    public string Description => "The tense differs from the book's style.";

    public IEnumerable<Violation> Check(RuleInput input, string severity)
    {
        var expected = input.Style.Tense?.ToLowerInvariant() switch
        {
            { } tense when tense.Contains("present", StringComparison.Ordinal) => "present",
            { } tense when tense.Contains("past", StringComparison.Ordinal) => "past",
            _ => null,
        };
        if (expected is null)
        {
            yield break;
        }

        foreach (var paragraph in input.Text.Paragraphs)
        {
            var present = Present().Matches(paragraph.Narration);
            var past = Past().Matches(paragraph.Narration);
            var (wrong, right) = expected == "past" ? (present, past) : (past, present);
            if (wrong.Count >= 3 && wrong.Count > right.Count * 2)
            {
                yield return new Violation(Id, severity, new Location(paragraph.Line, paragraph.SentenceAt(wrong[0].Index)),
                    $"The narration is in the {(expected == "past" ? "present" : "past")} tense here (\"{wrong[0].Value}\"), but the book is told in the {expected} tense.",
                    $"Put the paragraph's narration back into the {expected} tense.",
                    [new Evidence(null, 0, $"Style: tense {input.Style.Tense}")]);
            }
        }
    }

    private const string Subject = @"(?<![\p{L}'’])(?:he|she|they|it|He|She|They|It|I|we|We|\p{Lu}\p{Ll}{2,})\s+(?:(?:then|now|still|also|only|just|never|quickly|slowly|softly)\s+)?";

    [GeneratedRegex(Subject + @"(?:is|are|has|does|says|walks|looks|goes|comes|seems|thinks|knows|feels|turns|smiles|sees|takes|makes|gives|wants|tells|asks|replies|stands|sits|runs|hears|finds|leaves|enters|begins|speaks|laughs|cries|answers|watches|holds|keeps|rises|returns|opens|closes|reads|writes|wonders|hopes|fears|believes)\b")]
    private static partial Regex Present();

    [GeneratedRegex(Subject + @"(?:was|were|had|did|said|walked|looked|went|came|seemed|thought|knew|felt|turned|smiled|saw|took|made|gave|wanted|told|asked|replied|stood|sat|ran|heard|found|left|entered|began|spoke|laughed|cried|answered|watched|held|kept|rose|returned|opened|closed|read|wrote|wondered|hoped|feared|believed|could|would|should|might|must)\b")]
    private static partial Regex Past();
}
