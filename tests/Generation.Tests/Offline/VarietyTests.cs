using Folio.Generation.Core.Agents;

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

        chapters.Should().OnlyContain(sentences => sentences.Count > 100, "each chapter is about 2,000 words");
        WorstSharedFraction(chapters).Should().BeLessThanOrEqualTo(0.10);
    }

    [Fact]
    public void Even_a_two_person_one_place_book_written_with_one_seed_keeps_its_chapters_apart()
    {
        var story = Book.Story with { Characters = [Book.Mara, Book.Tobias], Places = [Book.Story.Places[0]] };
        var chapters = Enumerable.Range(1, 30)
            .Select(number => new ChapterBrief(
                number, $"Chapter {number}", [$"Mara Quell keeps watch on night {number}", $"Tobias Wren rows out for the {number} time"],
                "Mara Quell", "Greyhaven Lighthouse", ["Mara Quell", "Tobias Wren"], "Mara must hold on.", 2000))
            .Select(brief => Book.Writer.WriteChapter(new ChapterRequest(story, brief, null, null, Seed: 7)))
            .Select(chapter => Book.BodySentences(chapter).ToHashSet())
            .ToArray();

        WorstSharedFraction(chapters).Should().BeLessThanOrEqualTo(0.10);
    }

    [Fact]
    public void The_same_brief_with_another_seed_reads_differently()
    {
        var first = Book.BodySentences(Book.Chapter(Book.Brief(), seed: 1)).ToHashSet();
        var second = Book.BodySentences(Book.Chapter(Book.Brief(), seed: 2)).ToHashSet();

        ((double)first.Intersect(second).Count() / first.Count).Should().BeLessThan(0.10);
    }

    [Fact]
    public void A_chapter_does_not_repeat_the_sentences_of_the_ending_it_follows()
    {
        var brief = Book.Brief(targetWords: 800);
        var earlier = Book.Writer.WriteChapter(new ChapterRequest(Book.Story, brief, null, null, 4));
        var ending = string.Join("\n\n", Book.Paragraphs(earlier));

        var next = Book.Writer.WriteChapter(new ChapterRequest(Book.Story, brief, null, ending, 4));

        Book.BodySentences(next).Intersect(Book.BodySentences(earlier)).Should().BeEmpty();
    }

    /// <summary>The largest share of sentences any two chapters have in common, out of the shorter chapter's.</summary>
    private static double WorstSharedFraction(HashSet<string>[] chapters)
    {
        var worst = 0.0;
        for (var i = 0; i < chapters.Length; i++)
        {
            for (var j = i + 1; j < chapters.Length; j++)
            {
                var shared = chapters[i].Intersect(chapters[j]).Count();
                worst = Math.Max(worst, (double)shared / Math.Min(chapters[i].Count, chapters[j].Count));
            }
        }

        return worst;
    }
}
