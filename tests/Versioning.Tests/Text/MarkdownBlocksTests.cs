using Folio.Versioning.Core.Text;

namespace Folio.Versioning.Tests.Text;

public class MarkdownBlocksTests
{
    [Fact]
    public void Splits_a_document_into_its_blocks()
    {
        const string markdown = "# Chapter One\n\nIt was a *dark* night.\nStill dark.\n\n> A quote\n> over two lines\n>\n> and a second paragraph\n\n- first item\n- second item\n\n1. one\n2. two\n\n---\n\n```\ncode\n\n\nwith blank lines\n```\n\n<div>html</div>\n\nSetext heading\n==============\n";

        MarkdownBlocks.Split(markdown).Should().Equal(
            new MarkdownBlock(BlockKind.Heading, "# Chapter One"),
            new MarkdownBlock(BlockKind.Paragraph, "It was a *dark* night.\nStill dark."),
            new MarkdownBlock(BlockKind.Quote, "> A quote\n> over two lines\n>\n> and a second paragraph"),
            new MarkdownBlock(BlockKind.List, "- first item"),
            new MarkdownBlock(BlockKind.List, "- second item"),
            new MarkdownBlock(BlockKind.List, "1. one"),
            new MarkdownBlock(BlockKind.List, "2. two"),
            new MarkdownBlock(BlockKind.ThematicBreak, "---"),
            new MarkdownBlock(BlockKind.Code, "```\ncode\n\n\nwith blank lines\n```"),
            new MarkdownBlock(BlockKind.Other, "<div>html</div>"),
            new MarkdownBlock(BlockKind.Heading, "Setext heading\n=============="));
    }

    [Fact]
    public void Keeps_a_list_item_with_its_continuation_paragraphs_and_nested_list()
    {
        const string markdown = "- item\n\n  continued\n\n  - nested\n- next\n\nAfter.";

        MarkdownBlocks.Split(markdown).Should().Equal(
            new MarkdownBlock(BlockKind.List, "- item\n\n  continued\n\n  - nested"),
            new MarkdownBlock(BlockKind.List, "- next"),
            new MarkdownBlock(BlockKind.Paragraph, "After."));
    }

    [Fact]
    public void Starts_a_block_where_a_heading_ends_even_without_a_blank_line()
    {
        MarkdownBlocks.Split("# Title\nText under it.").Should().Equal(
            new MarkdownBlock(BlockKind.Heading, "# Title"),
            new MarkdownBlock(BlockKind.Paragraph, "Text under it."));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    [InlineData("One paragraph without newline")]
    [InlineData("\n\n  Indented start.\n\n\n\nAfter many blank lines.   \n\n\n")]
    [InlineData("CRLF one.\r\n\r\nCRLF two.\r\n")]
    [InlineData("Lone\rcarriage\r\rreturns\r")]
    [InlineData("Text\n\n[ref]: http://example.com\n[other]: http://example.org\n\nUses [ref].\n")]
    [InlineData("```\nunclosed fence\n\n\n")]
    [InlineData("    indented code\n\n\tmore code\n\npara")]
    [InlineData(" \t \nTrailing spaces on blank lines \n \t\n")]
    public void Layout_keeps_every_byte_and_separators_are_only_whitespace(string markdown)
    {
        var layout = MarkdownBlocks.Layout(markdown);

        layout.Compose().Should().Be(markdown);
        string.IsNullOrWhiteSpace(layout.Leading).Should().BeTrue();
        layout.Segments.All(segment => string.IsNullOrWhiteSpace(segment.Separator) && !string.IsNullOrWhiteSpace(segment.Block.Text)).Should().BeTrue();
    }

    [Fact]
    public void Layout_keeps_every_byte_of_random_markdown()
    {
        var random = new Random(20240601);
        for (var sample = 0; sample < 2000; sample++)
        {
            var markdown = RandomMarkdown.Next(random);

            var layout = MarkdownBlocks.Layout(markdown);

            layout.Compose().Should().Be(markdown);
            layout.Segments.All(segment => string.IsNullOrWhiteSpace(segment.Separator) && !string.IsNullOrWhiteSpace(segment.Block.Text)).Should().BeTrue(markdown);
            string.IsNullOrWhiteSpace(layout.Leading).Should().BeTrue(markdown);
        }
    }

    [Fact]
    public void Join_separates_blocks_with_a_blank_line_and_splits_back_to_the_same_blocks()
    {
        var blocks = MarkdownBlocks.Split("# Title\nFirst.\n\n\n\n- a\n- b\n\n> Quote\n");

        var joined = MarkdownBlocks.Join(blocks);

        joined.Should().Be("# Title\n\nFirst.\n\n- a\n\n- b\n\n> Quote");
        MarkdownBlocks.Split(joined).Should().Equal(blocks);
    }

    [Fact]
    public void Every_corpus_revision_splits_into_its_paragraphs()
    {
        foreach (var revision in CorpusChapters.All.SelectMany(chapter => chapter))
        {
            var paragraphs = revision.Markdown.TrimEnd('\n').Split("\n\n");
            MarkdownBlocks.Split(revision.Markdown).Select(block => block.Text).Should().Equal(paragraphs, $"chapter {revision.Chapter} at {revision.Commit}");
        }
    }
}
