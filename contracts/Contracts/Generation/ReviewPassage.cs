namespace Folio.Contracts.Generation;

/// <summary>A sentence of an earlier chapter (its number and 1-based line) that established a fact or a date.</summary>
public sealed record ReviewPassage(int Chapter, int Line, string Text);
