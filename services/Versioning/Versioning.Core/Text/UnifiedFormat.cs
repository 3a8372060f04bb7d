using System.Globalization;
using System.Text;

namespace Folio.Versioning.Core.Text;

internal static class UnifiedFormat
{
    public static string Render(ProseDiff diff, string oldLabel, string newLabel, int context)
    {
        ArgumentNullException.ThrowIfNull(oldLabel);
        ArgumentNullException.ThrowIfNull(newLabel);
        ArgumentOutOfRangeException.ThrowIfNegative(context);

        var output = new StringBuilder();
        output.Append("--- ").Append(oldLabel).Append('\n');
        output.Append("+++ ").Append(newLabel).Append('\n');
        foreach (var (first, last) in HunkRanges(diff.Blocks, context))
        {
            var blocks = diff.Blocks;
            var oldBefore = blocks.Take(first).Count(block => block.OldIndex is not null);
            var newBefore = blocks.Take(first).Count(block => block.NewIndex is not null);
            var oldCount = blocks.Skip(first).Take(last - first + 1).Count(block => block.OldIndex is not null);
            var newCount = blocks.Skip(first).Take(last - first + 1).Count(block => block.NewIndex is not null);
            output.Append(CultureInfo.InvariantCulture, $"@@ -{Range(oldBefore, oldCount)} +{Range(newBefore, newCount)} @@\n");
            for (var i = first; i <= last; i++)
            {
                if (i > first)
                {
                    output.Append('\n');
                }

                AppendBlock(output, blocks[i]);
            }
        }

        return output.ToString();
    }

    /// <summary>Inclusive ranges of block changes to print: each change with its context, overlapping ones merged.</summary>
    private static List<(int First, int Last)> HunkRanges(IReadOnlyList<BlockChange> blocks, int context)
    {
        var ranges = new List<(int First, int Last)>();
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].Kind == ChangeKind.Unchanged)
            {
                continue;
            }

            var first = Math.Max(0, i - context);
            var last = Math.Min(blocks.Count - 1, i + context);
            if (ranges.Count > 0 && first <= ranges[^1].Last + 1)
            {
                ranges[^1] = (ranges[^1].First, last);
            }
            else
            {
                ranges.Add((first, last));
            }
        }

        return ranges;
    }

    /// <summary>As in GNU unified diffs, an empty range is numbered by the block before it.</summary>
    private static string Range(int before, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{(count == 0 ? before : before + 1)},{count}");

    private static void AppendBlock(StringBuilder output, BlockChange block)
    {
        var (marker, text) = block.Kind switch
        {
            ChangeKind.Unchanged => (' ', block.OldText!),
            ChangeKind.Removed => ('-', block.OldText!),
            ChangeKind.Added => ('+', block.NewText!),
            _ => ('~', string.Concat(block.Words.Select(Marked))),
        };

        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            output.Append(marker).Append(line).Append('\n');
        }
    }

    private static string Marked(WordChange word) => word.Kind switch
    {
        ChangeKind.Removed => "{-" + word.Text + "-}",
        ChangeKind.Added => "{+" + word.Text + "+}",
        _ => word.Text,
    };
}
