using Markdig;
using Markdig.Syntax;

namespace Folio.Versioning.Core.Text;

/// <summary>
/// Cuts Markdown into top-level blocks, list items counting as blocks of their own. Markdig decides only where
/// blocks start; each block then runs to the next start minus blank lines, so every non-blank line belongs to
/// exactly one block and separators are pure whitespace (Markdig's block ends are inexact for unclosed fences
/// and list items, and it drops nothing but must not be trusted to).
/// </summary>
public static class MarkdownBlocks
{
    public const string CanonicalSeparator = "\n\n";

    private static readonly MarkdownPipeline Pipeline = BlocksOnly();

    public static IReadOnlyList<MarkdownBlock> Split(string markdown) => Layout(markdown).Blocks;

    /// <summary>Blocks joined by a blank line, without leading or trailing whitespace.</summary>
    public static string Join(IReadOnlyList<MarkdownBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return string.Join(CanonicalSeparator, blocks.Select(block => block.Text));
    }

    public static MarkdownLayout Layout(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = SourceLines.Of(markdown);
        var starts = BlockStarts(Markdown.Parse(markdown, Pipeline), lines);

        var spans = new List<(int Start, int End, BlockKind Kind)>();
        for (var i = 0; i < starts.Count; i++)
        {
            var last = i + 1 < starts.Count ? starts.Keys[i + 1] : lines.Count;
            var first = starts.Keys[i];
            while (first < last && lines.IsBlank(first))
            {
                first++;
            }

            while (last > first && lines.IsBlank(last - 1))
            {
                last--;
            }

            if (first < last)
            {
                spans.Add((lines.Start(first), lines.End(last - 1), starts.Values[i]));
            }
        }

        if (spans.Count == 0)
        {
            return new MarkdownLayout(markdown, []);
        }

        var segments = new MarkdownSegment[spans.Count];
        for (var i = 0; i < spans.Count; i++)
        {
            var separatorEnd = i + 1 < spans.Count ? spans[i + 1].Start : markdown.Length;
            segments[i] = new MarkdownSegment(
                new MarkdownBlock(spans[i].Kind, markdown[spans[i].Start..spans[i].End]),
                markdown[spans[i].End..separatorEnd]);
        }

        return new MarkdownLayout(markdown[..spans[0].Start], segments);
    }

    private static SortedList<int, BlockKind> BlockStarts(MarkdownDocument document, SourceLines lines)
    {
        var starts = new SortedList<int, BlockKind>();
        foreach (var block in document)
        {
            switch (block)
            {
                case ListBlock list:
                    foreach (var item in list)
                    {
                        Add(item, BlockKind.List);
                    }

                    break;
                case LinkReferenceDefinitionGroup group:
                    // The group itself claims to start at the top of the document; its definitions know where they are.
                    foreach (var definition in group)
                    {
                        Add(definition, BlockKind.Other);
                    }

                    break;
                default:
                    Add(block, KindOf(block));
                    break;
            }
        }

        // Whatever the parser reports, text before the first block start must still belong to a block.
        var firstContent = lines.FirstNonBlank();
        if (firstContent >= 0 && (starts.Count == 0 || starts.Keys[0] > firstContent))
        {
            starts[firstContent] = BlockKind.Other;
        }

        return starts;

        // A block's span starts where it does; its Line does not always (a setext heading reports its underline).
        void Add(Block block, BlockKind kind)
        {
            var line = block.Span.Start >= 0 ? lines.LineAt(block.Span.Start) : block.Line;
            if (line < 0 || line >= lines.Count)
            {
                return;
            }

            if (!starts.TryGetValue(line, out var existing) || existing == BlockKind.Other)
            {
                starts[line] = kind;
            }
        }
    }

    /// <summary>Inline syntax (emphasis, links...) never moves a block boundary, so it is not parsed at all.</summary>
    private static MarkdownPipeline BlocksOnly()
    {
        var builder = new MarkdownPipelineBuilder();
        builder.InlineParsers.Clear();
        return builder.Build();
    }

    private static BlockKind KindOf(Block block) => block switch
    {
        ParagraphBlock => BlockKind.Paragraph,
        HeadingBlock => BlockKind.Heading,
        QuoteBlock => BlockKind.Quote,
        CodeBlock => BlockKind.Code,
        ThematicBreakBlock => BlockKind.ThematicBreak,
        _ => BlockKind.Other,
    };
}
