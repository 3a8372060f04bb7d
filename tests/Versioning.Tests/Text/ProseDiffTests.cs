using Folio.Versioning.Core.Text;

namespace Folio.Versioning.Tests.Text;

public class ProseDiffTests
{
    private const string Old = "# One\n\nIt is a truth universally acknowledged.\n\nA single man must be in want of a wife.\n\nThe end.\n";

    [Fact]
    public void Identical_texts_have_no_changes()
    {
        var diff = ProseDiff.Compare(Old, Old);

        diff.HasChanges.Should().BeFalse();
        diff.Blocks.Should().HaveCount(4).And.OnlyContain(block => block.Kind == ChangeKind.Unchanged);
        diff.Stats.Should().BeEquivalentTo(new DiffStats(0, 0, 0, 0, 0, 0) { OldWords = 19, NewWords = 19 });
        diff.ApplyTo(Old).Should().Be(Old);
        diff.ToUnified("a", "b").Should().Be("--- a\n+++ b\n");
    }

    [Fact]
    public void A_reworded_paragraph_is_modified_with_word_changes()
    {
        var diff = ProseDiff.Compare(Old, Old.Replace("universally acknowledged", "widely known", StringComparison.Ordinal));

        var modified = diff.Blocks.Should().ContainSingle(block => block.Kind != ChangeKind.Unchanged).Subject;
        modified.Should().BeEquivalentTo(new
        {
            Kind = ChangeKind.Modified,
            OldIndex = 1,
            NewIndex = 1,
            BlockKind = BlockKind.Paragraph,
            Words = new[]
            {
                new WordChange(ChangeKind.Unchanged, "It is a truth "),
                new WordChange(ChangeKind.Removed, "universally acknowledged."),
                new WordChange(ChangeKind.Added, "widely known."),
            },
        });
        diff.Stats.Should().BeEquivalentTo(new DiffStats(2, 2, 0, 0, 1, 10.53) { OldWords = 19, NewWords = 19 });
    }

    [Fact]
    public void Unrelated_replacement_is_a_removal_and_an_addition()
    {
        var diff = ProseDiff.Compare(Old, Old.Replace("A single man must be in want of a wife.", "Completely different words here.", StringComparison.Ordinal));

        diff.Blocks.Where(block => block.Kind != ChangeKind.Unchanged).Select(block => (block.Kind, block.OldIndex, block.NewIndex))
            .Should().Equal((ChangeKind.Removed, 2, null), (ChangeKind.Added, null, 2));
        diff.Stats.Should().BeEquivalentTo(new DiffStats(4, 10, 1, 1, 0, 52.63) { OldWords = 19, NewWords = 13 });
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("", "New text.\n\nMore.\n")]
    [InlineData("Old text.\n\nMore.\n", "")]
    [InlineData("Para one.\n\nPara two.\n", "Para one.\n\n\n\nPara two.")]
    [InlineData("Para one.\n\nPara two.\n", "\n\n  Para one.\n\nPara two.\n")]
    [InlineData("Para one.\r\n\r\nPara two.\r\n", "Para one.\n\nPara two.\n")]
    [InlineData("Line one\r\nline two\r\n\r\nNext.", "Line one\nline two\n\nNext.")]
    [InlineData("Two  spaces here.\n", "Two spaces here.\n")]
    [InlineData("   \n", "\t\n")]
    public void Applying_the_diff_rebuilds_the_new_text_exactly(string oldText, string newText)
    {
        var diff = ProseDiff.Compare(oldText, newText);

        diff.ApplyTo(oldText).Should().Be(newText);
        (diff.Stats.WordsAdded - diff.Stats.WordsRemoved).Should().Be(WordCount.Count(newText) - WordCount.Count(oldText));
    }

    [Fact]
    public void Whitespace_between_blocks_is_layout_not_a_change()
    {
        var diff = ProseDiff.Compare("One.\n\nTwo.\n", "One.\r\n\r\n\r\nTwo.");

        diff.HasChanges.Should().BeFalse();
        diff.Blocks.Select(block => (block.OldSeparator, block.NewSeparator)).Should().Equal(("\n\n", "\r\n\r\n\r\n"), ("\n", ""));
    }

    [Fact]
    public void Whitespace_inside_a_paragraph_is_a_change_of_no_words()
    {
        var diff = ProseDiff.Compare("Two  spaces here.", "Two spaces here.");

        diff.Blocks.Should().ContainSingle().Which.Words.Should().Equal(
            new WordChange(ChangeKind.Unchanged, "Two"),
            new WordChange(ChangeKind.Removed, "  "),
            new WordChange(ChangeKind.Added, " "),
            new WordChange(ChangeKind.Unchanged, "spaces here."));
        diff.Stats.Should().BeEquivalentTo(new DiffStats(0, 0, 0, 0, 1, 0) { OldWords = 3, NewWords = 3 });
    }

    [Fact]
    public void Word_changes_a_space_apart_read_as_one_change()
    {
        var diff = ProseDiff.Compare("She was very pretty indeed.", "She was rather handsome indeed.");

        diff.Blocks.Single().Words.Should().Equal(
            new WordChange(ChangeKind.Unchanged, "She was "),
            new WordChange(ChangeKind.Removed, "very pretty"),
            new WordChange(ChangeKind.Added, "rather handsome"),
            new WordChange(ChangeKind.Unchanged, " indeed."));
    }

    [Fact]
    public void Headings_list_items_and_quotes_are_diffed_as_blocks()
    {
        const string before = "# Title\n\n- milk\n- eggs\n- bread\n\n> To be or not to be.\n";
        const string after = "## Title\n\n- milk\n- duck eggs\n- bread\n- jam\n\n> To be or not to be, that is the question.\n";

        var diff = ProseDiff.Compare(before, after);

        diff.Blocks.Select(block => (block.Kind, block.BlockKind, block.NewText)).Should().Equal(
            (ChangeKind.Modified, BlockKind.Heading, "## Title"),
            (ChangeKind.Unchanged, BlockKind.List, "- milk"),
            (ChangeKind.Modified, BlockKind.List, "- duck eggs"),
            (ChangeKind.Unchanged, BlockKind.List, "- bread"),
            (ChangeKind.Added, BlockKind.List, "- jam"),
            (ChangeKind.Modified, BlockKind.Quote, "> To be or not to be, that is the question."));
        diff.ApplyTo(before).Should().Be(after);
    }

    [Fact]
    public void Applying_to_another_text_throws()
    {
        var diff = ProseDiff.Compare(Old, "Something else.");

        var apply = () => diff.ApplyTo(Old + " ");

        apply.Should().Throw<ArgumentException>().WithParameterName("oldText");
    }

    [Fact]
    public void Unified_output_shows_blocks_with_context_and_word_markers()
    {
        const string before = "One.\n\nTwo.\n\nThree is here.\n\nFour.\n\nFive.\n\nSix.\n\nSeven.\n";
        const string after = "One.\n\nTwo.\n\nThree is there.\n\nFour.\n\nFive.\n\nSix.\n\nSeven.\n\nEight.\n";

        var unified = ProseDiff.Compare(before, after).ToUnified("chapter-1@v1", "chapter-1@v2");

        unified.Should().Be(
            "--- chapter-1@v1\n+++ chapter-1@v2\n" +
            "@@ -2,3 +2,3 @@\n Two.\n\n~Three is {-here.-}{+there.+}\n\n Four.\n" +
            "@@ -7,1 +7,2 @@\n Seven.\n\n+Eight.\n");
        ProseDiff.Compare(before, after).ToUnified("a", "b", context: 3).Should().Contain("@@ -1,7 +1,8 @@\n One.\n");
    }

    [Fact]
    public void Unified_output_prefixes_every_line_of_a_multi_line_block()
    {
        var unified = ProseDiff.Compare("Intro.\n\n```\nold code\n```\n", "```\nold code\n```\n").ToUnified("a", "b", context: 0);

        unified.Should().Be("--- a\n+++ b\n@@ -1,1 +0,0 @@\n-Intro.\n");
        ProseDiff.Compare("A.\n", "A.\n\n> line one\n> line two\n").ToUnified("a", "b", 0)
            .Should().Be("--- a\n+++ b\n@@ -1,0 +2,1 @@\n+> line one\n+> line two\n");
    }

    [Fact]
    public void Side_by_side_rows_pair_old_and_new_blocks()
    {
        var rows = ProseDiff.Compare("Keep.\n\nChange this line.\n\nDrop.\n", "Keep.\n\nChange that line.\n\nNew.\n").ToSideBySide();

        rows.Should().Equal(
            new SideBySideRow("Keep.", "Keep.", ChangeKind.Unchanged),
            new SideBySideRow("Change this line.", "Change that line.", ChangeKind.Modified),
            new SideBySideRow("Drop.", null, ChangeKind.Removed),
            new SideBySideRow(null, "New.", ChangeKind.Added));
    }

    [Fact]
    public void Block_diff_is_minimal()
    {
        // Blocks share no words, so none pair up as modified and the counts expose the edit script's length.
        string[] alphabet = ["Alpha one.", "Bravo two.", "Charlie three.", "Delta four."];
        var random = new Random(7);
        for (var sample = 0; sample < 500; sample++)
        {
            var before = Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var after = Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();

            var diff = ProseDiff.Compare(string.Join("\n\n", before), string.Join("\n\n", after));

            (diff.Stats.BlocksAdded + diff.Stats.BlocksRemoved).Should().Be(before.Length + after.Length - (2 * LongestCommonSubsequence(before, after)));
            diff.ApplyTo(string.Join("\n\n", before)).Should().Be(string.Join("\n\n", after));
        }
    }

    [Fact]
    public void Word_changes_rebuild_both_blocks_for_random_edits()
    {
        var random = new Random(11);
        string[] words = ["the", "a", "truth", "man", "wife", "fortune", "—", "“Oh!”", "Bennet,", "said"];
        for (var sample = 0; sample < 1000; sample++)
        {
            var before = string.Join(' ', Enumerable.Range(0, random.Next(1, 30)).Select(_ => words[random.Next(words.Length)]));
            var after = string.Join(' ', before.Split(' ').Select(word => random.Next(5) == 0 ? words[random.Next(words.Length)] : word).Where(_ => random.Next(10) > 0));
            if (after.Length == 0)
            {
                continue;
            }

            var diff = ProseDiff.Compare(before, after);

            diff.ApplyTo(before).Should().Be(after);
            foreach (var block in diff.Blocks.Where(block => block.Kind == ChangeKind.Modified))
            {
                string.Concat(block.Words.Where(word => word.Kind != ChangeKind.Added).Select(word => word.Text)).Should().Be(block.OldText);
                string.Concat(block.Words.Where(word => word.Kind != ChangeKind.Removed).Select(word => word.Text)).Should().Be(block.NewText);
            }

            (diff.Stats.WordsAdded - diff.Stats.WordsRemoved).Should().Be(WordCount.Count(after) - WordCount.Count(before));
        }
    }

    [Fact]
    public void Applying_rebuilds_any_new_text_exactly()
    {
        var random = new Random(5);
        for (var sample = 0; sample < 2000; sample++)
        {
            var (before, after) = (RandomMarkdown.Next(random), RandomMarkdown.Next(random));

            var diff = ProseDiff.Compare(before, after);

            diff.ApplyTo(before).Should().Be(after);
            (diff.Stats.WordsAdded - diff.Stats.WordsRemoved).Should().Be(WordCount.Count(after) - WordCount.Count(before));
        }
    }

    [Fact]
    public void A_rewrite_of_hundreds_of_blocks_still_diffs_and_applies()
    {
        var before = string.Join("\n\n", Enumerable.Range(0, 600).Select(i => $"Paragraph {i} says something."));
        var after = string.Join("\n\n", Enumerable.Range(0, 600).Select(i => $"Paragraph {i} says something else entirely."));

        var diff = ProseDiff.Compare(before, after);

        diff.Stats.BlocksModified.Should().Be(600);
        diff.ApplyTo(before).Should().Be(after);
    }

    /// <summary>Tens of thousands of tokens with words swapped throughout: past git's cost limits, where it cuts the search short.</summary>
    [Theory]
    [InlineData(25)]
    [InlineData(7)]
    public void A_huge_paragraph_with_words_swapped_throughout_still_applies(int every)
    {
        var words = Enumerable.Range(0, 17_000).Select(i => $"w{i}").ToArray();
        var swapped = words.ToArray();
        for (var i = 0; i + 1 < swapped.Length; i += every)
        {
            (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
        }

        var (before, after) = (string.Join(' ', words), string.Join(' ', swapped));
        var diff = ProseDiff.Compare(before, after);

        diff.ApplyTo(before).Should().Be(after);
        diff.Stats.WordsAdded.Should().Be(diff.Stats.WordsRemoved).And.BeInRange(17_000 / every, 17_000);
    }

    private static int LongestCommonSubsequence(string[] a, string[] b)
    {
        var table = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                table[i, j] = a[i - 1] == b[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table[a.Length, b.Length];
    }
}
