using Folio.Continuity.Core.Rules;

namespace Folio.Continuity.Core;

/// <summary>A project's choice for one rule: off, or on with another severity.</summary>
public sealed record RuleSetting(bool Enabled, string? Severity);

/// <summary>Runs every enabled rule over one chapter. Pure and deterministic: the same chapter and context give the same result.</summary>
public static class ContinuityChecker
{
    public static IReadOnlyList<IRule> Rules { get; } =
    [
        new FactContradictionRule(), new UnknownNameRule(), new DeadAppearsRule(), new TimelineOrderRule(), new PovShiftRule(),
        new TenseShiftRule(), new RepetitionRule(), new LengthTargetRule(), new BeatMissingRule(),
    ];

    public static CheckResult Check(ChapterToCheck chapter, CheckContext context, IReadOnlyDictionary<string, RuleSetting>? settings = null)
    {
        var input = new RuleInput(chapter, context);
        var violations = new List<Violation>();
        var passed = new List<string>();
        foreach (var rule in Rules)
        {
            var setting = settings?.GetValueOrDefault(rule.Id);
            if (setting is { Enabled: false })
            {
                continue;
            }

            var found = rule.Check(input, setting?.Severity ?? rule.DefaultSeverity).DistinctBy(violation => (violation.Location.Line, violation.Description)).ToList();
            if (found.Count == 0)
            {
                passed.Add(rule.Id);
            }

            violations.AddRange(found);
        }

        violations.Sort((a, b) => a.Location.Line != b.Location.Line ? a.Location.Line.CompareTo(b.Location.Line) : string.CompareOrdinal(a.Rule, b.Rule));
        return new CheckResult(CheckStatuses.Of(violations), violations, passed, input.Text.Words);
    }
}
