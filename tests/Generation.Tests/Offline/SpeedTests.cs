using System.Diagnostics;

namespace Folio.Generation.Tests.Offline;

public sealed class SpeedTests
{
    [Fact]
    public void A_three_thousand_word_chapter_takes_well_under_half_a_second()
    {
        Book.Chapter(Book.Brief(targetWords: 3000), seed: 1);

        var stopwatch = Stopwatch.StartNew();
        var chapter = Book.Chapter(Book.Brief(targetWords: 3000), seed: 2);
        stopwatch.Stop();

        Book.WordCount(chapter).Should().BeGreaterThan(2700);
        stopwatch.ElapsedMilliseconds.Should().BeLessThan(500);
    }
}
