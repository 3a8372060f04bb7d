using Folio.Generation.Core.Agents;
using Folio.Generation.Core.Offline;

namespace Folio.Generation.Tests.Offline;

public sealed class DeterminismTests
{
    [Fact]
    public void Same_inputs_and_seed_give_byte_identical_brief_chapter_and_summary()
    {
        var first = Run(seed: 11);
        var second = Run(seed: 11);

        second.Should().Be(first);
    }

    [Fact]
    public void A_fresh_writer_gives_the_same_text_as_one_already_used()
    {
        var used = new OfflineWriter();
        used.WriteChapter(new ChapterRequest(Book.Story, Book.Brief(chapter: 9), null, null, 3));

        var brief = Book.Brief();
        var request = new ChapterRequest(Book.Story, brief, null, null, 5);

        used.WriteChapter(request).Should().Be(new OfflineWriter().WriteChapter(request));
    }

    [Fact]
    public void A_different_seed_gives_a_different_brief_and_chapter()
    {
        var first = Run(seed: 11);
        var second = Run(seed: 12);

        second.Json.Should().NotBe(first.Json);
        second.Chapter.Should().NotBe(first.Chapter);
    }

    [Fact]
    public void A_different_chapter_number_with_the_same_seed_gives_a_different_chapter()
    {
        Book.Chapter(Book.Brief(chapter: 4), seed: 1).Should().NotBe(Book.Chapter(Book.Brief(chapter: 5), seed: 1));
    }

    [Fact]
    public void The_writer_is_labelled_offline()
    {
        OfflineWriter.ProviderName.Should().Be("offline");
        OfflineWriter.ModelName.Should().Be("folio-offline-1");
    }

    private static (string Json, string Chapter, string Summary) Run(int seed)
    {
        var writer = new OfflineWriter();
        var brief = writer.WriteBrief(new BriefRequest(Book.Story, 2, null, [], ["Mara came home."], 1200, seed));
        var chapter = writer.WriteChapter(new ChapterRequest(Book.Story, brief, "Mara came home.", null, seed));
        var summary = writer.Summarize(new SummaryRequest(Book.Story, brief, chapter));
        return (writer.BriefJson(brief), chapter, summary);
    }
}
