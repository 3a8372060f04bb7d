using Folio.Generation.Core.Agents;

namespace Folio.Generation.Tests.Offline;

public sealed class SummaryTests
{
    private static readonly string[] SixBeats =
    [
        "Mara Quell climbs the lighthouse stairs",
        "Tobias Wren confesses a debt",
        "A storm cuts off the harbour road",
        "Jonah Fenn hides the ledger",
        "Mara burns the forged note",
        "Tobias leaves before dawn",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void A_summary_has_two_to_five_sentences_naming_the_cast_and_the_beats_in_order(int beatCount)
    {
        var beats = SixBeats.Take(beatCount).ToArray();
        var brief = Book.Brief(targetWords: 1500, beats: beats);
        var chapter = Book.Chapter(brief);

        var summary = Book.Writer.Summarize(new SummaryRequest(Book.Story, brief, chapter));

        Book.Sentences(summary).Length.Should().BeInRange(2, 5);
        summary.Should().Contain("Mara Quell").And.Contain("Tobias Wren").And.Contain("Jonah Fenn").And.Contain("Greyhaven Lighthouse");
        var positions = beats.Select(beat => summary.IndexOf(beat[1..], StringComparison.Ordinal)).ToArray();
        positions.Should().NotContain(-1).And.BeInAscendingOrder();
    }

    [Fact]
    public void Beats_the_chapter_does_not_cover_are_left_out()
    {
        var brief = Book.Brief(beats: ["Mara Quell climbs the lighthouse stairs", "Tobias Wren sails to Zanzibar"]);
        var chapter = "# The Ledger\n\nMara Quell climbs the lighthouse stairs. Tobias Wren waits below.\n";

        var summary = Book.Writer.Summarize(new SummaryRequest(Book.Story, brief, chapter));

        summary.Should().Contain("climbs the lighthouse stairs").And.NotContain("Zanzibar");
        summary.Should().Contain("Mara Quell and Tobias Wren").And.NotContain("Jonah Fenn");
    }

    [Fact]
    public void The_summary_is_deterministic()
    {
        var brief = Book.Brief();
        var chapter = Book.Chapter(brief);

        Book.Writer.Summarize(new SummaryRequest(Book.Story, brief, chapter))
            .Should().Be(Book.Writer.Summarize(new SummaryRequest(Book.Story, brief, chapter)));
    }
}
