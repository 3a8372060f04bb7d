using Folio.Versioning.Core.Text;

namespace Folio.Versioning.Tests.Text;

public class ThreeWayMergeTests
{
    private const string Base = "Alpha paragraph one.\n\nBravo paragraph two.\n\nCharlie paragraph three.\n\nDelta paragraph four.\n\nEcho paragraph five.\n";

    [Fact]
    public void Unchanged_sides_merge_to_the_base()
    {
        var result = ThreeWayMerge.Merge(Base, Base, Base);

        result.IsClean.Should().BeTrue();
        result.Conflicts.Should().BeEmpty();
        result.MergedText.Should().Be(Base);
    }

    [Fact]
    public void A_change_on_one_side_only_gives_that_side_byte_for_byte()
    {
        const string theirs = "\n\nAlpha paragraph one.\r\n\r\n\r\nBravo paragraph two, edited.\n\nCharlie paragraph three.\n\nDelta paragraph four.\n\nEcho paragraph five.";

        ThreeWayMerge.Merge(Base, Base, theirs).MergedText.Should().Be(theirs);
        ThreeWayMerge.Merge(Base, theirs, Base).MergedText.Should().Be(theirs);
    }

    [Fact]
    public void Changes_to_blocks_apart_from_each_other_merge()
    {
        var ours = Base.Replace("Alpha paragraph one.", "Alpha paragraph one, revised.", StringComparison.Ordinal);
        var theirs = Base.Replace("Delta paragraph four.\n\n", "", StringComparison.Ordinal) + "\nFoxtrot paragraph six.\n";

        var result = ThreeWayMerge.Merge(Base, ours, theirs);

        result.IsClean.Should().BeTrue();
        result.MergedText.Should().Be("Alpha paragraph one, revised.\n\nBravo paragraph two.\n\nCharlie paragraph three.\n\nEcho paragraph five.\n\nFoxtrot paragraph six.\n");
    }

    [Fact]
    public void The_same_change_on_both_sides_is_taken_once()
    {
        var changed = Base.Replace("Charlie", "Charles", StringComparison.Ordinal);

        ThreeWayMerge.Merge(Base, changed, changed).MergedText.Should().Be(changed);
    }

    [Fact]
    public void Changes_to_adjacent_blocks_conflict_as_in_git()
    {
        var ours = Base.Replace("Bravo paragraph two.", "Bravo, ours.", StringComparison.Ordinal);
        var theirs = Base.Replace("Charlie paragraph three.", "Charlie, theirs.", StringComparison.Ordinal);

        var result = ThreeWayMerge.Merge(Base, ours, theirs);

        result.IsClean.Should().BeFalse();
        result.MergedText.Should().BeNull();
        result.Conflicts.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Index = 1,
            Base = "Bravo paragraph two.\n\nCharlie paragraph three.",
            Ours = "Bravo, ours.\n\nCharlie paragraph three.",
            Theirs = "Bravo paragraph two.\n\nCharlie, theirs.",
        });
        result.Regions.Select(region => region.Text).Should().Equal("Alpha paragraph one.", null, "Delta paragraph four.\n\nEcho paragraph five.");
    }

    [Fact]
    public void Deleting_a_block_the_other_side_edited_conflicts()
    {
        var ours = Base.Replace("Charlie paragraph three.\n\n", "", StringComparison.Ordinal);
        var theirs = Base.Replace("Charlie paragraph three.", "Charlie paragraph three, improved.", StringComparison.Ordinal);

        var conflict = ThreeWayMerge.Merge(Base, ours, theirs).Conflicts.Should().ContainSingle().Subject;

        conflict.Should().BeEquivalentTo(new { Base = "Charlie paragraph three.", Ours = (string?)null, Theirs = "Charlie paragraph three, improved." });
    }

    [Fact]
    public void Different_insertions_at_the_same_place_conflict()
    {
        var ours = Base.Replace("Bravo paragraph two.\n\n", "Bravo paragraph two.\n\nInserted by ours.\n\n", StringComparison.Ordinal);
        var theirs = Base.Replace("Bravo paragraph two.\n\n", "Bravo paragraph two.\n\nInserted by theirs.\n\n", StringComparison.Ordinal);

        ThreeWayMerge.Merge(Base, ours, theirs).Conflicts.Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { Base = (string?)null, Ours = "Inserted by ours.", Theirs = "Inserted by theirs." });
    }

    [Fact]
    public void Edits_to_different_words_of_one_paragraph_merge_word_by_word()
    {
        const string paragraph = "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.";
        var ours = Base.Replace("Charlie paragraph three.", paragraph.Replace("universally", "widely", StringComparison.Ordinal), StringComparison.Ordinal);
        var theirs = Base.Replace("Charlie paragraph three.", paragraph.Replace("good fortune", "large fortune", StringComparison.Ordinal), StringComparison.Ordinal);
        var @base = Base.Replace("Charlie paragraph three.", paragraph, StringComparison.Ordinal);

        var result = ThreeWayMerge.Merge(@base, ours, theirs);

        result.IsClean.Should().BeTrue();
        result.Regions.Should().ContainSingle(region => region.WordMerged)
            .Which.Text.Should().Be("It is a truth widely acknowledged, that a single man in possession of a large fortune, must be in want of a wife.");
        result.MergedText.Should().Be(@base.Replace(paragraph, "It is a truth widely acknowledged, that a single man in possession of a large fortune, must be in want of a wife.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a good fortune", "a great fortune", "a good luck")]
    [InlineData("good fortune", "good, fortune", "good fortunes")]
    [InlineData("must be in want", "must be want", "must be in need")]
    public void Edits_that_touch_the_same_or_neighbouring_words_conflict(string original, string oursEdit, string theirsEdit)
    {
        const string paragraph = "A single man in possession of a good fortune, must be in want of a wife.";
        var @base = Base.Replace("Charlie paragraph three.", paragraph, StringComparison.Ordinal);

        var result = ThreeWayMerge.Merge(@base, @base.Replace(original, oursEdit, StringComparison.Ordinal), @base.Replace(original, theirsEdit, StringComparison.Ordinal));

        result.IsClean.Should().BeFalse();
        result.Conflicts.Should().ContainSingle().Which.Base.Should().Be(paragraph);
    }

    [Fact]
    public void Conflicts_resolve_by_choice()
    {
        var ours = Base.Replace("Bravo paragraph two.", "Bravo, ours.", StringComparison.Ordinal);
        var theirs = Base.Replace("Bravo paragraph two.", "Bravo, theirs.", StringComparison.Ordinal);
        var result = ThreeWayMerge.Merge(Base, ours, theirs);
        var index = result.Conflicts.Single().Index;

        result.Resolve(Choice(index, ConflictResolution.Ours)).Should().Be(ours);
        result.Resolve(Choice(index, ConflictResolution.Theirs)).Should().Be(theirs);
        result.Resolve(Choice(index, ConflictResolution.Both)).Should().Be(Base.Replace("Bravo paragraph two.", "Bravo, ours.\n\nBravo, theirs.", StringComparison.Ordinal));
        result.Resolve(Choice(index, ConflictResolution.Custom, "Bravo, together.")).Should().Be(Base.Replace("Bravo paragraph two.", "Bravo, together.", StringComparison.Ordinal));
        result.Resolve(Choice(index, ConflictResolution.Custom, "")).Should().Be(Base.Replace("Bravo paragraph two.\n\n", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolving_names_what_is_missing_or_wrong()
    {
        var ours = Base.Replace("Alpha", "Alpha ours", StringComparison.Ordinal).Replace("Echo", "Echo ours", StringComparison.Ordinal);
        var theirs = Base.Replace("Alpha", "Alpha theirs", StringComparison.Ordinal).Replace("Echo", "Echo theirs", StringComparison.Ordinal);
        var result = ThreeWayMerge.Merge(Base, ours, theirs);
        result.Conflicts.Select(conflict => conflict.Index).Should().Equal(0, 2);

        var missing = () => result.Resolve(Choice(0, ConflictResolution.Ours));
        var unknown = () => result.Resolve(new Dictionary<int, (ConflictResolution, string?)> { [0] = (ConflictResolution.Ours, null), [1] = (ConflictResolution.Ours, null), [2] = (ConflictResolution.Ours, null) });
        var textless = () => result.Resolve(new Dictionary<int, (ConflictResolution, string?)> { [0] = (ConflictResolution.Ours, null), [2] = (ConflictResolution.Custom, null) });

        missing.Should().Throw<ArgumentException>().WithMessage("Unresolved conflicts: 2.*");
        unknown.Should().Throw<ArgumentException>().WithMessage("No conflict at regions 1.*");
        textless.Should().Throw<ArgumentException>().WithMessage("Custom resolutions without a text: 2.*");
    }

    [Fact]
    public void Merges_keep_crlf_layouts()
    {
        var crlfBase = Base.ReplaceLineEndings("\r\n");
        var ours = crlfBase.Replace("Alpha paragraph one.", "Alpha, ours.", StringComparison.Ordinal);
        var theirs = crlfBase.Replace("Echo paragraph five.", "Echo, theirs.", StringComparison.Ordinal);

        ThreeWayMerge.Merge(crlfBase, ours, theirs).MergedText.Should().Be("Alpha, ours.\r\n\r\nBravo paragraph two.\r\n\r\nCharlie paragraph three.\r\n\r\nDelta paragraph four.\r\n\r\nEcho, theirs.\r\n");
    }

    [Theory]
    [InlineData("", "", "", "")]
    [InlineData("", "Ours alone.\n", "", "Ours alone.\n")]
    [InlineData("Base.\n", "", "", "")]
    [InlineData("Base.\n", "", "Base.\n", "")]
    [InlineData("Base.\n", "Base.\n\nMore from ours.\n", "Before from theirs.\n\nBase.\n", "Before from theirs.\n\nBase.\n\nMore from ours.\n")]
    public void Edge_cases_merge_cleanly(string @base, string ours, string theirs, string expected) =>
        ThreeWayMerge.Merge(@base, ours, theirs).MergedText.Should().Be(expected);

    [Fact]
    public void Both_sides_adding_different_texts_to_an_empty_base_conflict()
    {
        var result = ThreeWayMerge.Merge("", "Ours.\n", "Theirs.\n");

        result.Conflicts.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Base = (string?)null, Ours = "Ours.", Theirs = "Theirs." });
        result.Resolve(Choice(0, ConflictResolution.Both)).Should().Be("Ours.\n\nTheirs.\n");
    }

    [Fact]
    public void A_list_item_added_to_a_tight_list_keeps_it_tight()
    {
        const string @base = "Shopping:\n\n- milk\n- eggs\n\nDone.\n";

        var result = ThreeWayMerge.Merge(@base, @base.Replace("Shopping:", "Shopping list:", StringComparison.Ordinal), @base.Replace("- eggs\n", "- eggs\n- jam\n", StringComparison.Ordinal));

        result.MergedText.Should().Be("Shopping list:\n\n- milk\n- eggs\n- jam\n\nDone.\n");
    }

    [Fact]
    public void Any_texts_merge_and_an_unchanged_side_gives_the_other_byte_for_byte()
    {
        var random = new Random(9);
        for (var sample = 0; sample < 1000; sample++)
        {
            var (@base, changed) = (RandomMarkdown.Next(random), RandomMarkdown.Next(random));

            ThreeWayMerge.Merge(@base, @base, changed).MergedText.Should().Be(changed);
            ThreeWayMerge.Merge(@base, changed, @base).MergedText.Should().Be(changed);
            var result = ThreeWayMerge.Merge(@base, changed, RandomMarkdown.Next(random));
            (result.MergedText is not null).Should().Be(result.IsClean);
            result.Resolve(result.Conflicts.ToDictionary(conflict => conflict.Index, _ => (ConflictResolution.Both, (string?)null))).Should().NotBeNull();
        }
    }

    private static Dictionary<int, (ConflictResolution Choice, string? CustomText)> Choice(int index, ConflictResolution choice, string? text = null) =>
        new() { [index] = (choice, text) };
}
