namespace Folio.Generation.Tests.Offline;

public sealed class ReadabilityTests
{
    private static readonly string Chapter = Book.Chapter(Book.Brief(targetWords: 3000), seed: 21);

    [Fact]
    public void Markdown_is_a_title_heading_then_paragraphs_separated_by_blank_lines()
    {
        Chapter.Should().StartWith("# Chapter 3: The Ledger\n\n");
        Chapter.Should().NotContain("\n\n\n").And.EndWith("\n");
        Book.Paragraphs(Chapter).Should().HaveCountGreaterThan(20).And.OnlyContain(paragraph => !paragraph.Contains('\n'));
    }

    [Fact]
    public void Outline_beats_written_as_a_markdown_list_become_prose()
    {
        var brief = Book.Brief(targetWords: 600, beats: ["- Mara Quell climbs the stairs.", "2. Tobias Wren lies", "# A storm breaks"]);

        var chapter = Book.Chapter(brief);

        Book.Paragraphs(chapter).Should().OnlyContain(paragraph => char.IsUpper(paragraph[0]) || paragraph[0] == '"');
        chapter.Should().Contain("Tobias Wren lies").And.Contain("storm breaks").And.NotContain("2.").And.NotContain("- ");
    }

    [Theory]
    [InlineData(300, 1)]
    [InlineData(3000, 2)]
    [InlineData(6000, 3)]
    public void Paragraphs_hold_two_to_seven_sentences(int targetWords, int seed)
    {
        var chapter = Book.Chapter(Book.Brief(targetWords: targetWords), seed);

        Book.Paragraphs(chapter).Select(paragraph => Book.Sentences(paragraph).Length).Should().OnlyContain(count => count >= 2 && count <= 7);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void No_sentence_is_repeated_within_a_chapter(int seed)
    {
        var sentences = Book.BodySentences(Book.Chapter(Book.Brief(targetWords: 6000), seed));

        sentences.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Sentences_vary_in_length_and_are_real_english()
    {
        var lengths = Book.BodySentences(Chapter).Select(Book.WordCount).ToArray();

        lengths.Min().Should().BeLessThanOrEqualTo(6);
        lengths.Max().Should().BeGreaterThanOrEqualTo(18);
        lengths.Distinct().Count().Should().BeGreaterThan(10);
        Chapter.Should().NotContainAny("lorem", "ipsum", "{", "}", "  ");
        Chapter.Should().Contain("\"", "characters speak");
        Book.BodySentences(Chapter).Should().OnlyContain(sentence => sentence.EndsWith('.') || sentence.EndsWith('?') || sentence.EndsWith("?\"", StringComparison.Ordinal) || sentence.EndsWith(".\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Sentences_start_with_a_capital_letter_or_a_quote()
    {
        var raw = Book.Paragraphs(Chapter).SelectMany(paragraph => paragraph.Split(". ", StringSplitOptions.RemoveEmptyEntries));

        raw.Should().OnlyContain(sentence => char.IsUpper(sentence[0]) || sentence[0] == '"');
    }
}
