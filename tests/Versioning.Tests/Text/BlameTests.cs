using Folio.Versioning.Core.Text;

namespace Folio.Versioning.Tests.Text;

public class BlameTests
{
    [Fact]
    public void Empty_history_blames_nothing() =>
        Blame.Compute(Array.Empty<(int, string)>()).Should().BeEmpty();

    [Fact]
    public void Each_block_goes_to_the_revision_that_last_changed_it()
    {
        var history = new (string Revision, string Text)[]
        {
            ("r1", "# Title\n\nFirst.\n\nSecond.\n\nThird.\n"),
            ("r2", "# Title\n\nFirst, edited.\n\nSecond.\n\nThird.\n"),
            ("r3", "# Title\n\nFirst, edited.\n\nInserted.\n\nSecond.\n"),
            ("r4", "# Title\r\n\r\nFirst, edited.\r\n\r\nInserted.\r\n\r\nSecond.\r\n"),
        };

        Blame.Compute(history).Should().Equal(
            new BlameEntry<string>(0, "# Title", "r1"),
            new BlameEntry<string>(1, "First, edited.", "r2"),
            new BlameEntry<string>(2, "Inserted.", "r3"),
            new BlameEntry<string>(3, "Second.", "r1"));
    }

    [Fact]
    public void A_paragraph_restored_to_an_old_wording_belongs_to_the_revision_that_restored_it()
    {
        var history = new (int Revision, string Text)[] { (1, "Old.\n\nKeep.\n"), (2, "New.\n\nKeep.\n"), (3, "Old.\n\nKeep.\n") };

        Blame.Compute(history).Select(entry => entry.Revision).Should().Equal(3, 1);
    }

    [Fact]
    public void Random_histories_are_blamed_as_constructed()
    {
        var random = new Random(3);
        for (var sample = 0; sample < 200; sample++)
        {
            var blocks = new List<(string Text, int Revision)>();
            var history = new List<(int Revision, string Text)>();
            for (var revision = 0; revision < 12; revision++)
            {
                for (var edit = random.Next(1, 4); edit > 0; edit--)
                {
                    var at = random.Next(blocks.Count + 1);
                    var text = $"Paragraph {sample}-{revision}-{edit} says something new.";
                    switch (random.Next(3))
                    {
                        case 0 when at < blocks.Count:
                            blocks.RemoveAt(at);
                            break;
                        case 1 when at < blocks.Count:
                            blocks[at] = (text, revision);
                            break;
                        default:
                            blocks.Insert(at, (text, revision));
                            break;
                    }
                }

                history.Add((revision, string.Join("\n\n", blocks.Select(block => block.Text)) + "\n"));
            }

            Blame.Compute(history).Should().Equal(blocks.Select((block, index) => new BlameEntry<int>(index, block.Text, block.Revision)));
        }
    }

    [Fact]
    public void A_corpus_chapter_is_blamed_on_the_revisions_that_brought_each_paragraph_to_its_current_form()
    {
        var chapter = CorpusChapters.All.MaxBy(revisions => revisions.Count)!;
        var paragraphs = chapter.Select(revision => MarkdownBlocks.Split(revision.Markdown).Select(block => block.Text).ToHashSet()).ToArray();

        var blame = Blame.Compute(chapter.Select((revision, index) => (index, revision.Markdown)).ToArray());

        blame.Select(entry => entry.Text).Should().Equal(MarkdownBlocks.Split(chapter[^1].Markdown).Select(block => block.Text));
        blame.Select(entry => entry.Revision).Distinct().Should().HaveCountGreaterThan(1);
        foreach (var entry in blame)
        {
            Enumerable.Range(entry.Revision, chapter.Count - entry.Revision).Should().OnlyContain(index => paragraphs[index].Contains(entry.Text), "the paragraph is unchanged since");
            if (entry.Revision > 0)
            {
                paragraphs[entry.Revision - 1].Should().NotContain(entry.Text, "the blamed revision changed or added the paragraph");
            }
        }
    }
}
