namespace Folio.Contracts.Continuity;

/// <summary>A bible character named <paramref name="Mentions"/> times in the chapter, first at <paramref name="FirstLine"/>.</summary>
public sealed record SuggestedAppearance(string Character, int Mentions, int FirstLine);
