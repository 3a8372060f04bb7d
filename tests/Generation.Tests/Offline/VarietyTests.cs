namespace Folio.Generation.Tests.Offline;

public sealed class VarietyTests
{
    [Fact]
    public void Thirty_chapters_of_one_book_share_at_most_ten_percent_of_their_sentences()
    {
        var chapters = Enumerable.Range(1, 30)
            .Select(number => Book.Chapter(Book.PlannedBrief(number, seed: 1000 + number), seed: 1000 + number))
            .Select(chapter => Book.BodySentences(chapter).ToHashSet())
            .ToArray();

        var worst = 0.0;
        for (var i = 0; i < chapters.Length; i++)
        {
            for (var j = i + 1; j < chapters.Length; j++)
            {
                var shared = chapters[i].Intersect(chapters[j]).Count();
                worst = Math.Max(worst, (double)shared / Math.Min(chapters[i].Count, chapters[j].Count));
            }
        }

        chapters.Should().OnlyContain(sentences => sentences.Count > 100, "each chapter is about 2,000 words");
        worst.Should().BeLessThanOrEqualTo(0.10);
    }

    [Fact]
    public void The_same_brief_with_another_seed_reads_differently()
    {
        var first = Book.BodySentences(Book.Chapter(Book.Brief(), seed: 1)).ToHashSet();
        var second = Book.BodySentences(Book.Chapter(Book.Brief(), seed: 2)).ToHashSet();

        ((double)first.Intersect(second).Count() / first.Count).Should().BeLessThan(0.10);
    }
}
