using System.Text.RegularExpressions;

namespace Folio.Continuity.Core.Rules;

/// <summary>A character whose status is <c>dead</c> at this chapter speaks or acts: named as the subject of a verb of speech or action.</summary>
public sealed partial class DeadAppearsRule : IRule
{
    public string Id => "character.dead_appears";

    public string DefaultSeverity => Severities.Error;

    public string Description => "A character acts or speaks after the chapter of their death.";

    public IEnumerable<Violation> Check(RuleInput input, string severity)
    {
        var number = input.Chapter.Number;
        foreach (var paragraph in input.Text.Paragraphs)
        {
            foreach (var mention in input.Names.Find(paragraph.Text))
            {
                var death = mention.Character?.Facts.FirstOrDefault(fact => fact.Key == "status" && fact.Value.Equals("dead", StringComparison.OrdinalIgnoreCase) && fact.ValidAt(number));
                if (death is null)
                {
                    continue;
                }

                var before = paragraph.Text[Math.Max(0, mention.Index - 40)..mention.Index];
                var after = paragraph.Text[(mention.Index + mention.Length)..Math.Min(paragraph.Text.Length, mention.Index + mention.Length + 40)];
                if (Remembered().IsMatch(before) || !(ActsAfter().IsMatch(after) || SpeaksBefore().IsMatch(before)))
                {
                    continue;
                }

                yield return new Violation(Id, severity, new Location(paragraph.Line, paragraph.SentenceAt(mention.Index)),
                    $"{mention.Character!.Name} is dead at chapter {number} but acts here.",
                    $"Remove {mention.Character.Name} from the scene, or make it a memory.",
                    [FactEvidence.Of(mention.Character, death)]);
            }
        }
    }

    private const string Verbs = "said|says|replied|cried|answered|asked|exclaimed|whispered|walked|walks|entered|enters|smiled|smiles|laughed|laughs|looked|looks|came|comes|went|goes|rose|rises|stood|stands|sat|sits|spoke|speaks|nodded|nods|turned|turns|arrived|arrives|called|added|observed|continued|bowed|curtseyed|sighed|frowned|shook|took|gave|wrote|rode|danced|opened|closed|returned|left|joined|waited|waved|waves|shouted|climbed|rowed|ran|runs";

    [GeneratedRegex(@"^['’]?\s*,?\s*(?:(?:then|now|suddenly|quietly|slowly|softly|himself|herself)\s+)?(?:" + Verbs + @")\b")]
    private static partial Regex ActsAfter();

    [GeneratedRegex(@"\b(?:said|replied|cried|answered|asked|exclaimed|whispered|added|observed|continued)\s+$")]
    private static partial Regex SpeaksBefore();

    [GeneratedRegex(@"\b(?:late|poor|dead|deceased|memory\s+of|portrait\s+of|picture\s+of|grave\s+of|remembered|recalled)\s+(?:the\s+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Remembered();
}
