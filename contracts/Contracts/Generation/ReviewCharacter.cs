namespace Folio.Contracts.Generation;

/// <summary>A character of the bible with the facts (key → value) valid at the reviewed chapter.</summary>
public sealed record ReviewCharacter(string Name, IReadOnlyList<string> Aliases, IReadOnlyDictionary<string, string> Facts);
