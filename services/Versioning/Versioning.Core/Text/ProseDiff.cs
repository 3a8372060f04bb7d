using System.Text;

namespace Folio.Versioning.Core.Text;

public enum ChangeKind
{
    Unchanged,
    Added,
    Removed,
    Modified,
}

/// <summary>A run of whole tokens (words with their punctuation, or whitespace) inside a modified block.</summary>
public sealed record WordChange(ChangeKind Kind, string Text);

/// <summary>
/// One block of either text. Indexes are block positions in each text; <see cref="Words"/> is filled only for
/// <see cref="ChangeKind.Modified"/> and <see cref="BlockKind"/> is the new block's kind when there is one.
/// </summary>
public sealed record BlockChange(ChangeKind Kind, int? OldIndex, int? NewIndex, string? OldText, string? NewText, BlockKind BlockKind, IReadOnlyList<WordChange> Words)
{
    /// <summary>The exact whitespace after the block in the old text (its trailing whitespace for the last block).</summary>
    public string? OldSeparator { get; init; }

    /// <summary>The exact whitespace after the block in the new text.</summary>
    public string? NewSeparator { get; init; }
}

/// <summary>
/// Word counts use <see cref="WordCount"/>, so <c>WordsAdded - WordsRemoved == NewWords - OldWords</c> always.
/// <c>PercentChanged = max(WordsAdded, WordsRemoved) / max(OldWords, 1) * 100</c>, rounded to two decimals: a
/// replaced word counts once, pure growth or shrinkage counts fully (so it exceeds 100 when a text more than doubles).
/// </summary>
public sealed record DiffStats(int WordsAdded, int WordsRemoved, int BlocksAdded, int BlocksRemoved, int BlocksModified, double PercentChanged)
{
    public int OldWords { get; init; }

    public int NewWords { get; init; }
}

public sealed record SideBySideRow(string? Left, string? Right, ChangeKind Kind);

/// <summary>
/// A Markdown-aware diff: blocks first, words inside blocks similar enough to count as modified. It keeps both
/// texts' exact whitespace (leading blank lines, separators, trailing newline), so <see cref="ApplyTo"/> rebuilds
/// the new text byte for byte; whitespace between blocks is layout, not a change, so it never makes a block changed.
/// </summary>
public sealed record ProseDiff(IReadOnlyList<BlockChange> Blocks, DiffStats Stats)
{
    public string OldLeading { get; init; } = "";

    public string NewLeading { get; init; } = "";

    public bool HasChanges => Blocks.Any(block => block.Kind != ChangeKind.Unchanged);

    public static ProseDiff Compare(string oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(oldText);
        ArgumentNullException.ThrowIfNull(newText);
        return ProseDiffBuilder.Build(MarkdownBlocks.Layout(oldText), MarkdownBlocks.Layout(newText));
    }

    /// <summary>The new text, from <paramref name="oldText"/> and this diff; throws when <paramref name="oldText"/> is not the diff's old text.</summary>
    public string ApplyTo(string oldText)
    {
        ArgumentNullException.ThrowIfNull(oldText);
        var expected = new StringBuilder(OldLeading);
        foreach (var block in Blocks.Where(block => block.OldIndex is not null))
        {
            expected.Append(block.OldText).Append(block.OldSeparator);
        }

        if (!string.Equals(expected.ToString(), oldText, StringComparison.Ordinal))
        {
            throw new ArgumentException("The text is not the one this diff was computed from.", nameof(oldText));
        }

        var result = new StringBuilder(NewLeading);
        foreach (var block in Blocks.Where(block => block.NewIndex is not null))
        {
            if (block.Kind == ChangeKind.Modified)
            {
                foreach (var word in block.Words.Where(word => word.Kind != ChangeKind.Removed))
                {
                    result.Append(word.Text);
                }
            }
            else
            {
                result.Append(block.Kind == ChangeKind.Unchanged ? block.OldText : block.NewText);
            }

            result.Append(block.NewSeparator);
        }

        return result.ToString();
    }

    /// <summary>
    /// A unified diff whose lines are blocks: " " unchanged, "-" removed, "+" added, "~" modified with
    /// <c>{-removed-}{+added+}</c> inside; hunk ranges count blocks, blocks are separated by an empty line.
    /// </summary>
    public string ToUnified(string oldLabel, string newLabel, int context = 1) => UnifiedFormat.Render(this, oldLabel, newLabel, context);

    public IReadOnlyList<SideBySideRow> ToSideBySide() =>
        Blocks.Select(block => new SideBySideRow(block.OldText, block.NewText, block.Kind)).ToArray();
}
