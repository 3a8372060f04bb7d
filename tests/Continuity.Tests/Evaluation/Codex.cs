using System.Text.Json;
using Folio.Continuity.Core;

namespace Folio.Continuity.Tests.Evaluation;

/// <summary>The Pride and Prejudice codex (Evaluation/pride-and-prejudice.codex.json) as the bible Continuity would project from Projects' events.</summary>
public static class Codex
{
    private sealed record FactJson(string Key, string Value, int? FromChapter, int? UntilChapter, string? Source);

    private sealed record CharacterJson(string Name, List<string> Aliases, List<FactJson> Facts);

    private sealed record TimelineJson(string Description, int? Chapter, string? StoryTime, string? Source);

    private sealed record StyleJson(string PointOfView, string Tense, List<string> BannedPhrases, int RepetitionThreshold);

    private sealed record CodexJson(StyleJson Style, List<string> Places, List<CharacterJson> Characters, List<TimelineJson> Timeline);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Lazy<BookFacts> Loaded = new(Load);

    public static BookFacts PrideAndPrejudice => Loaded.Value;

    private static BookFacts Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Evaluation", "pride-and-prejudice.codex.json");
        var codex = JsonSerializer.Deserialize<CodexJson>(File.ReadAllText(path), Json)!;
        return new BookFacts(
            codex.Characters.Select(character => new CharacterProfile(character.Name, character.Aliases,
                character.Facts.Select(fact => new Fact(fact.Key, fact.Value, fact.FromChapter, fact.UntilChapter)).ToList())).ToList(),
            codex.Timeline.Select(entry => new TimelineEntry(entry.Description, entry.Chapter, entry.StoryTime)).ToList(),
            codex.Places,
            new StyleGuide(codex.Style.PointOfView, codex.Style.Tense, codex.Style.BannedPhrases, codex.Style.RepetitionThreshold));
    }
}
