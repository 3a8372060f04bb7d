namespace Folio.Generation.Tests.Offline;

public sealed class BeatCoverageTests
{
    [Theory]
    [InlineData(300, 1)]
    [InlineData(1000, 2)]
    [InlineData(3000, 3)]
    [InlineData(6000, 4)]
    public void Every_beat_is_realised_in_order(int targetWords, int seed)
    {
        var chapter = Book.Chapter(Book.Brief(targetWords: targetWords), seed);

        var positions = Book.Beats.Select(beat => FirstParagraphRealising(chapter, beat)).ToArray();

        positions.Should().NotContain(-1, "every beat's key words appear together in some paragraph");
        positions.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void Six_beats_of_a_planned_brief_are_realised_in_order()
    {
        var beats = new[]
        {
            "Jonah Fenn rows across the harbour at night",
            "Mara Quell reads her mother's diary",
            "Tobias Wren lies about the missing lantern",
            "The lender's clerk visits Fennick Hall",
            "Mara finds a second key sewn into the diary",
            "Everyone gathers at the Salt Market",
        };
        var chapter = Book.Chapter(Book.Brief(targetWords: 1500, beats: beats), seed: 99);

        var positions = beats.Select(beat => FirstParagraphRealising(chapter, beat)).ToArray();

        positions.Should().NotContain(-1).And.BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void Reordering_the_beats_reorders_the_chapter()
    {
        var reversed = Book.Beats.Reverse().ToArray();
        var chapter = Book.Chapter(Book.Brief(targetWords: 1200, beats: reversed));

        var positions = Book.Beats.Select(beat => FirstParagraphRealising(chapter, beat)).ToArray();

        positions.Should().BeInDescendingOrder();
    }

    private static int FirstParagraphRealising(string chapter, string beat)
    {
        var keyWords = Book.KeyWords(beat);
        return Array.FindIndex(Book.Paragraphs(chapter), paragraph =>
        {
            var words = Book.WordsOf(paragraph).ToHashSet();
            return keyWords.All(words.Contains);
        });
    }
}
