namespace Folio.Contracts.Continuity;

/// <summary>One violation as the writer agent needs it to revise: the rule, where, what is wrong and what to do instead.</summary>
public sealed record ContinuityFinding(string Rule, string Severity, int Line, string Text, string Description, string? Suggestion);
