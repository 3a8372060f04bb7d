namespace Folio.Contracts.Continuity;

/// <summary>A recurring capitalised name no character, alias or place of the bible explains: perhaps a new character.</summary>
public sealed record SuggestedName(string Name, int Mentions, int FirstLine, string Text);
