namespace Folio.Contracts.Generation;

/// <summary>
/// One problem the reviewer found: <paramref name="Rule"/> is <c>llm.&lt;kind&gt;</c>, <paramref name="Quote"/> the chapter's words it
/// flags (at <paramref name="Line"/> when the model gave one), and <paramref name="Evidence"/> the fact or earlier passage it relies on.
/// </summary>
public sealed record ReviewFinding(
    string Rule, string Severity, int? Line, string Quote, string Description, string? Suggestion, IReadOnlyList<ReviewEvidence> Evidence);
