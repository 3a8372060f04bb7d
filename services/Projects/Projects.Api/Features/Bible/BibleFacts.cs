using System.Text.RegularExpressions;
using Folio.Contracts.Projects;

namespace Folio.Projects.Api.Features.Bible;

public sealed record FactError(string Field, string Message);

/// <summary>Rules and chapter resolution for structured facts; pure, so the Continuity service's view can be unit tested.</summary>
public static partial class BibleFacts
{
    public const int MaxFacts = 200;

    private static readonly string[] StatusValues = ["alive", "dead"];

    /// <summary>Facts valid at <paramref name="chapter"/>: an open start means chapter 1, an open end means the last chapter.</summary>
    public static IReadOnlyList<BibleFact> ValidAt(IEnumerable<BibleFact> facts, int chapter) =>
        facts.Where(fact => (fact.FromChapter ?? 1) <= chapter && chapter <= (fact.UntilChapter ?? int.MaxValue)).ToList();

    /// <summary>Field errors keyed like the request (<c>facts[2].key</c>); empty when the facts are acceptable.</summary>
    public static IReadOnlyList<FactError> Validate(IReadOnlyList<BibleFact> facts)
    {
        var errors = new List<FactError>();
        if (facts.Count > MaxFacts)
        {
            errors.Add(new FactError("facts", $"At most {MaxFacts} facts."));
        }

        for (var index = 0; index < facts.Count; index++)
        {
            errors.AddRange(ValidateOne(facts[index], $"facts[{index}]"));
        }

        if (errors.Count == 0)
        {
            errors.AddRange(Overlaps(facts));
        }

        return errors;
    }

    private static IEnumerable<FactError> ValidateOne(BibleFact? fact, string field)
    {
        if (fact is null)
        {
            yield return new FactError(field, "A fact cannot be null.");
            yield break;
        }

        if (string.IsNullOrWhiteSpace(fact.Key) || fact.Key.Length > 120 || !FactKey().IsMatch(fact.Key))
        {
            yield return new FactError($"{field}.key", "Key must be lowercase snake case (eye_colour, age, status) or relationship:<other character>.");
        }
        else if (fact.Key.Contains(':', StringComparison.Ordinal) && !fact.Key.StartsWith("relationship:", StringComparison.Ordinal))
        {
            yield return new FactError($"{field}.key", "Only relationship keys take a qualifier (relationship:<other character>).");
        }

        if (string.IsNullOrWhiteSpace(fact.Value) || fact.Value.Length > 2000)
        {
            yield return new FactError($"{field}.value", "Value is required and at most 2000 characters.");
        }
        else if (fact.Key == "status" && !StatusValues.Contains(fact.Value))
        {
            yield return new FactError($"{field}.value", "Status is 'alive' or 'dead'.");
        }
        else if (fact.Key == "age" && !(int.TryParse(fact.Value, out var age) && age is >= 0 and <= 100_000))
        {
            yield return new FactError($"{field}.value", "Age is a whole number of years.");
        }

        if (fact.FromChapter is < 1)
        {
            yield return new FactError($"{field}.fromChapter", "Chapters start at 1.");
        }

        if (fact.UntilChapter is < 1)
        {
            yield return new FactError($"{field}.untilChapter", "Chapters start at 1.");
        }

        if (fact is { FromChapter: { } from, UntilChapter: { } until } && from > until)
        {
            yield return new FactError($"{field}.untilChapter", "untilChapter must not be before fromChapter.");
        }
    }

    /// <summary>Two values of one key that hold in the same chapter would contradict each other.</summary>
    private static IEnumerable<FactError> Overlaps(IReadOnlyList<BibleFact> facts)
    {
        var indexed = facts.Select((fact, index) => (fact, index));
        foreach (var sameKey in indexed.GroupBy(item => item.fact.Key, StringComparer.Ordinal))
        {
            var ordered = sameKey.OrderBy(item => item.fact.FromChapter ?? 1).ToList();
            var latestEnding = ordered[0];
            foreach (var current in ordered.Skip(1))
            {
                if ((current.fact.FromChapter ?? 1) <= (latestEnding.fact.UntilChapter ?? int.MaxValue))
                {
                    yield return new FactError(
                        $"facts[{current.index}]",
                        $"'{current.fact.Key}' already has a value for these chapters (facts[{latestEnding.index}]); chapter ranges of one key must not overlap.");
                }

                if ((current.fact.UntilChapter ?? int.MaxValue) > (latestEnding.fact.UntilChapter ?? int.MaxValue))
                {
                    latestEnding = current;
                }
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*(:[^\\s:][^:]*)?$")]
    private static partial Regex FactKey();
}
