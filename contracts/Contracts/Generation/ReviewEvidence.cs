namespace Folio.Contracts.Generation;

/// <summary>What a finding relies on: a bible fact (<paramref name="Chapter"/> null) or a passage of a chapter.</summary>
public sealed record ReviewEvidence(int? Chapter, int? Line, string Text);
