namespace Folio.Versioning.Core.Text;

public enum BlockKind
{
    Paragraph,
    Heading,
    List,
    Quote,
    Code,
    ThematicBreak,
    Other,
}

/// <summary>A top-level Markdown block (one list item for lists); <see cref="Text"/> is its exact source without the blank lines around it.</summary>
public sealed record MarkdownBlock(BlockKind Kind, string Text);

/// <summary>A block and the exact whitespace that follows it; after the last block that is the text's trailing whitespace.</summary>
public sealed record MarkdownSegment(MarkdownBlock Block, string Separator);

/// <summary>A text cut into blocks without losing a byte: <c>Leading + Σ (Block.Text + Separator)</c> is the original text.</summary>
public sealed record MarkdownLayout(string Leading, IReadOnlyList<MarkdownSegment> Segments)
{
    public IReadOnlyList<MarkdownBlock> Blocks => Segments.Select(segment => segment.Block).ToArray();

    public string Compose()
    {
        var text = new System.Text.StringBuilder(Leading);
        foreach (var segment in Segments)
        {
            text.Append(segment.Block.Text).Append(segment.Separator);
        }

        return text.ToString();
    }
}
