using System.Text.RegularExpressions;

namespace Folio.Generation.Tests.Offline;

public sealed partial class StoryBibleTests
{
    [Theory]
    [InlineData(300)]
    [InlineData(2000)]
    public void Every_character_present_and_the_setting_appear_by_name(int targetWords)
    {
        var brief = Book.Brief(targetWords: targetWords, present: ["Mara Quell", "Tobias Wren", "Jonah Fenn"]);

        var chapter = Book.Chapter(brief);

        chapter.Should().Contain("Mara Quell").And.Contain("Tobias Wren").And.Contain("Jonah Fenn").And.Contain("Greyhaven Lighthouse");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Eye_and_hair_colours_are_the_ones_the_bible_gives(int seed)
    {
        var sentences = Book.BodySentences(Book.Chapter(Book.Brief(targetWords: 4000), seed));

        var maraEyes = sentences.Where(sentence => sentence.Contains("mara", StringComparison.Ordinal) && sentence.Contains("eyes", StringComparison.Ordinal)).ToArray();
        var tobiasEyes = sentences.Where(sentence => sentence.Contains("tobias", StringComparison.Ordinal) && sentence.Contains("eyes", StringComparison.Ordinal)).ToArray();
        maraEyes.Should().Contain(sentence => sentence.Contains("grey", StringComparison.Ordinal), "a long chapter describes her eyes at least once");
        tobiasEyes.Should().Contain(sentence => sentence.Contains("green", StringComparison.Ordinal));
        EyeColoursNamed(maraEyes.Where(sentence => !sentence.Contains("tobias", StringComparison.Ordinal))).Should().OnlyContain(colour => colour == "grey");
        EyeColoursNamed(tobiasEyes.Where(sentence => !sentence.Contains("mara", StringComparison.Ordinal))).Should().OnlyContain(colour => colour == "green");
        sentences.Where(sentence => sentence.Contains("mara", StringComparison.Ordinal) && !sentence.Contains("tobias", StringComparison.Ordinal))
            .SelectMany(sentence => WordBeforeHair().Matches(sentence)).Select(match => match.Groups[1].Value)
            .Should().NotBeEmpty().And.OnlyContain(word => word == "red");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_dead_character_is_only_remembered_never_acting_or_speaking(int seed)
    {
        var brief = Book.Brief(targetWords: 3000, present: ["Mara Quell", "Ilse Marrow", "Tobias Wren"]);

        var sentences = Book.BodySentences(Book.Chapter(brief, seed));

        var aboutIlse = sentences.Where(sentence => sentence.Contains("ilse", StringComparison.Ordinal)).ToArray();
        aboutIlse.Should().NotBeEmpty("the brief put her in the chapter, so she is remembered");
        aboutIlse.Should().OnlyContain(sentence => sentence.Contains("remember", StringComparison.Ordinal) || sentence.Contains("memory", StringComparison.Ordinal));
        aboutIlse.Should().NotContain(sentence => sentence.StartsWith("ilse", StringComparison.Ordinal) || sentence.Contains('"'));
        aboutIlse.Should().NotContain(sentence => SpeechAfterIlse().IsMatch(sentence));
    }

    [Fact]
    public void A_character_named_by_alias_in_the_brief_is_written_as_the_bible_has_them()
    {
        var brief = Book.Brief(targetWords: 4000, present: ["Mara Quell", "Toby"]);

        var sentences = Book.BodySentences(Book.Chapter(brief));

        sentences.Where(sentence => sentence.Contains("tobias", StringComparison.Ordinal) && sentence.Contains("eyes", StringComparison.Ordinal))
            .Should().Contain(sentence => sentence.Contains("green eyes", StringComparison.Ordinal));
    }

    private static IEnumerable<string> EyeColoursNamed(IEnumerable<string> sentences) =>
        sentences.SelectMany(sentence => ColourBeforeEyes().Matches(sentence)).Select(match => match.Groups[1].Value);

    [GeneratedRegex(@"\b(grey|gray|green|blue|brown|hazel|amber|black|dark)\s+eyes\b")]
    private static partial Regex ColourBeforeEyes();

    [GeneratedRegex(@"\b(\w+)\s+hair\b")]
    private static partial Regex WordBeforeHair();

    [GeneratedRegex(@"ilse( marrow)? (said|asked|murmured|whispered|admitted|insisted|told)")]
    private static partial Regex SpeechAfterIlse();
}
