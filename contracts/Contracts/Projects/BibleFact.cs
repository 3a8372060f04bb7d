namespace Folio.Contracts.Projects;

/// <summary>One structured fact of a bible entry, valid from chapter <see cref="FromChapter"/> to <see cref="UntilChapter"/> (open when null).</summary>
public sealed record BibleFact(string Key, string Value, int? FromChapter, int? UntilChapter);
