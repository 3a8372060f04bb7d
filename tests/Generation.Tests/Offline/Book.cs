using System.Text.RegularExpressions;
using Folio.Generation.Core.Agents;
using Folio.Generation.Core.Offline;

namespace Folio.Generation.Tests.Offline;

/// <summary>A small story bible and the text measures the offline writer's tests share.</summary>
internal static partial class Book
{
    public static readonly OfflineWriter Writer = new();

    public static readonly StoryCharacter Mara = Character("Mara Quell", ["Mara"], new() { ["eye_colour"] = "grey", ["hair"] = "red", ["status"] = "alive" });
    public static readonly StoryCharacter Tobias = Character("Tobias Wren", ["Toby"], new() { ["eye_colour"] = "green" });
    public static readonly StoryCharacter Ilse = Character("Ilse Marrow", [], new() { ["status"] = "dead", ["eye_colour"] = "blue" });
    public static readonly StoryCharacter Jonah = Character("Jonah Fenn", [], new() { ["age"] = "61" });

    public static readonly StoryContext Story = new(
        "The Lamplighter's Debt",
        "Mystery",
        "Close third person, past tense",
        "A lamplighter's daughter inherits a debt she never agreed to. The lender is found dead in the harbour. Her mother's old friends know more than they say.",
        "en",
        [Mara, Tobias, Ilse, Jonah],
        [new("Greyhaven Lighthouse", "A salt-stained tower on the northern cliffs"), new("Salt Market", null), new("Fennick Hall", "A shuttered house")]);

    public static readonly string[] Beats =
    [
        "Mara Quell climbs the lighthouse stairs and finds the ledger missing",
        "Tobias Wren confesses he borrowed money from the lender",
        "A storm cuts the lighthouse off from the harbour road",
        "Mara burns the forged promissory note",
    ];

    public static ChapterBrief Brief(int chapter = 3, int targetWords = 2000, IReadOnlyList<string>? beats = null, IReadOnlyList<string>? present = null) => new(
        chapter,
        $"Chapter {chapter}: The Ledger",
        beats ?? Beats,
        "Mara Quell",
        "Greyhaven Lighthouse",
        present ?? ["Mara Quell", "Tobias Wren", "Jonah Fenn"],
        "Mara must learn who forged her mother's signature.",
        targetWords);

    public static string Chapter(ChapterBrief brief, int seed = 7) =>
        Writer.WriteChapter(new ChapterRequest(Story, brief, "Mara came home to a debt.", "The door closed behind her.", seed));

    public static ChapterBrief PlannedBrief(int chapter, int seed, int targetWords = 2000) =>
        Writer.WriteBrief(new BriefRequest(Story, chapter, null, [], [], targetWords, seed));

    /// <summary>Whitespace-separated tokens containing a letter or digit.</summary>
    public static int WordCount(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(token => token.Any(char.IsLetterOrDigit));

    /// <summary>The body's paragraphs: blocks separated by blank lines, without the heading.</summary>
    public static string[] Paragraphs(string markdown) =>
        markdown.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(block => !block.StartsWith('#'))
            .ToArray();

    /// <summary>Sentences split on terminal punctuation (a closing quote stays with its sentence), lowercase.</summary>
    public static string[] Sentences(string text) =>
        SentenceBreak().Split(text.Replace("\n", " ", StringComparison.Ordinal))
            .Select(sentence => sentence.Trim().ToLowerInvariant())
            .Where(sentence => sentence.Any(char.IsLetterOrDigit) && !sentence.StartsWith('#'))
            .ToArray();

    public static string[] BodySentences(string markdown) => Paragraphs(markdown).SelectMany(Sentences).ToArray();

    /// <summary>The words of a beat a reader would look for: three letters or more, not a common function word.</summary>
    public static string[] KeyWords(string beat) =>
        WordPattern().Matches(beat.ToLowerInvariant()).Select(match => match.Value)
            .Where(word => word.Length >= 3 && !FunctionWords.Contains(word)).ToArray();

    public static string[] WordsOf(string text) => WordPattern().Matches(text.ToLowerInvariant()).Select(match => match.Value).ToArray();

    private static readonly HashSet<string> FunctionWords = ["the", "and", "from", "with", "that", "his", "her", "off"];

    private static StoryCharacter Character(string name, string[] aliases, Dictionary<string, string> facts) =>
        new(name, aliases, null, null, facts);

    [GeneratedRegex(@"(?<=[.!?][""”]?)\s+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[\p{L}\p{Nd}']+")]
    private static partial Regex WordPattern();
}
