using Folio.Versioning.Core.Text;

namespace Folio.Versioning.Tests.Text;

/// <summary>Diff oracle: every consecutive pair of revisions of every chapter of the shared corpus.</summary>
public class ProseDiffCorpusTests
{
    [Fact]
    public void Applying_each_diff_reproduces_the_next_revision_and_the_stats_add_up()
    {
        var pairs = 0;
        foreach (var chapter in CorpusChapters.All)
        {
            foreach (var (before, after) in chapter.Zip(chapter.Skip(1)))
            {
                AssertDiff(before.Markdown, after.Markdown, $"chapter {after.Chapter} {before.Commit}..{after.Commit}");
                pairs++;
            }
        }

        pairs.Should().Be(566 - 61);
    }

    [Fact]
    public void Diffs_across_the_whole_history_and_backwards_hold_too()
    {
        foreach (var chapter in CorpusChapters.All)
        {
            AssertDiff(chapter[0].Markdown, chapter[^1].Markdown, $"chapter {chapter[0].Chapter} first..last");
            AssertDiff(chapter[^1].Markdown, chapter[0].Markdown, $"chapter {chapter[0].Chapter} last..first");
        }
    }

    private static void AssertDiff(string before, string after, string because)
    {
        var diff = ProseDiff.Compare(before, after);
        var beforeBlocks = MarkdownBlocks.Split(before);
        var afterBlocks = MarkdownBlocks.Split(after);

        diff.ApplyTo(before).Should().Be(after, because);
        diff.Blocks.Where(block => block.OldIndex is not null).Select(block => block.OldIndex!.Value)
            .SequenceEqual(Enumerable.Range(0, beforeBlocks.Count)).Should().BeTrue(because);
        diff.Blocks.Where(block => block.NewIndex is not null).Select(block => block.NewIndex!.Value)
            .SequenceEqual(Enumerable.Range(0, afterBlocks.Count)).Should().BeTrue(because);
        diff.Blocks.Where(block => block.Kind == ChangeKind.Modified)
            .All(block => string.Concat(block.Words.Where(word => word.Kind != ChangeKind.Added).Select(word => word.Text)) == block.OldText)
            .Should().BeTrue(because);
        diff.HasChanges.Should().Be(!beforeBlocks.SequenceEqual(afterBlocks), because);

        var stats = diff.Stats;
        stats.OldWords.Should().Be(WordCount.Count(before), because);
        stats.NewWords.Should().Be(WordCount.Count(after), because);
        (stats.WordsAdded - stats.WordsRemoved).Should().Be(stats.NewWords - stats.OldWords, because);
        stats.BlocksAdded.Should().Be(diff.Blocks.Count(block => block.Kind == ChangeKind.Added), because);
        stats.BlocksRemoved.Should().Be(diff.Blocks.Count(block => block.Kind == ChangeKind.Removed), because);
        stats.BlocksModified.Should().Be(diff.Blocks.Count(block => block.Kind == ChangeKind.Modified), because);
        stats.PercentChanged.Should().Be(Math.Round(100.0 * Math.Max(stats.WordsAdded, stats.WordsRemoved) / Math.Max(stats.OldWords, 1), 2), because);
    }
}
