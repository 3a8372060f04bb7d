namespace Folio.Continuity.Core.Rules;

/// <summary>The chapter's word count is further from its target than the style's tolerance (default ±50 %).</summary>
public sealed class LengthTargetRule : IRule
{
    public string Id => "length.target";

    public string DefaultSeverity => Severities.Warning;

    public string Description => "The chapter is far from its target length.";

    public IEnumerable<Violation> Check(RuleInput input, string severity)
    {
        if (input.Chapter.TargetLength is not { } target || target <= 0)
        {
            yield break;
        }

        var words = input.Text.Words;
        var tolerance = Math.Clamp(input.Style.LengthTolerance, 0, 10);
        if (words >= target * (1 - tolerance) && words <= target * (1 + tolerance))
        {
            yield break;
        }

        var last = input.Text.Paragraphs.Count > 0 ? input.Text.Paragraphs[^1] : null;
        yield return new Violation(Id, severity, new Location(last?.Line ?? 1, last?.SentenceAt(last.Text.Length - 1) ?? ""),
            $"The chapter has {words:N0} words; its target is {target:N0} (±{tolerance:P0}).",
            words < target ? "Develop the chapter's scenes further." : "Tighten the chapter or split it.",
            [new Evidence(input.Chapter.Number, 0, $"Chapter target length: {target:N0} words")]);
    }
}
