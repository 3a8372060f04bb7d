using System.Text.Json;
using System.Text.RegularExpressions;

namespace Folio.Generation.Core.Agents;

/// <summary>A fact of the bible (<see cref="Chapter"/> null) or a passage of a chapter that a finding relies on.</summary>
public sealed record ReviewedEvidence(string Text, int? Chapter = null, int? Line = null);

/// <summary>One continuity problem as the reviewer model reports it; its rule id is <c>llm.&lt;kind&gt;</c>. A line and a suggestion may be left out.</summary>
public sealed record ReviewedIssue(
    string Kind, string Severity, string Quote, string Description, IReadOnlyList<ReviewedEvidence> Evidence, int? Line = null, string? Suggestion = null)
{
    public string Rule => $"llm.{Kind}";
}

/// <summary>The reviewer's answer: <c>{"findings": [...]}</c>, possibly empty.</summary>
public sealed partial record ContinuityReview(IReadOnlyList<ReviewedIssue> Findings)
{
    private static readonly string[] Severities = ["error", "warning", "info"];

    /// <summary>
    /// Reads the reviewer's JSON. Anything but the asked-for shape — prose, a missing member, an unknown severity, a kind that cannot be
    /// a rule id — is a <see cref="JsonException"/>: the review failed, it is not half-read.
    /// </summary>
    public static ContinuityReview Parse(string json)
    {
        var review = ModelJson.Read<ContinuityReview>(json, "continuity review");
        return new ContinuityReview(review.Findings.Select(Checked).ToList());
    }

    private static ReviewedIssue Checked(ReviewedIssue issue)
    {
        var kind = Separators().Replace(issue.Kind.Trim().ToLowerInvariant(), "_");
        if (!RuleKind().IsMatch(kind))
        {
            throw new JsonException($"'{issue.Kind}' is not a finding kind (lowercase letters, digits and underscores, at most 40).");
        }

        var severity = issue.Severity.Trim().ToLowerInvariant();
        return Severities.Contains(severity)
            ? issue with { Kind = kind, Severity = severity }
            : throw new JsonException($"'{issue.Severity}' is not a severity ({string.Join(", ", Severities)}).");
    }

    [GeneratedRegex(@"[\s\-]+")]
    private static partial Regex Separators();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex RuleKind();
}
