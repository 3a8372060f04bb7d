namespace Folio.Versioning.Core.Text;

public sealed record BlameEntry<TRevision>(int BlockIndex, string Text, TRevision Revision);

/// <summary>
/// For each block of the last text, the revision that last changed it: walking the history, blocks the block
/// diff matches keep their revision and every other block (new, edited or moved) takes the current one.
/// </summary>
public static class Blame
{
    public static IReadOnlyList<BlameEntry<TRevision>> Compute<TRevision>(IReadOnlyList<(TRevision Revision, string Text)> historyOldestFirst)
    {
        ArgumentNullException.ThrowIfNull(historyOldestFirst);
        if (historyOldestFirst.Count == 0)
        {
            return [];
        }

        var symbols = new Symbols();
        var blocks = Array.Empty<int>();
        var owners = Array.Empty<TRevision>();
        IReadOnlyList<MarkdownBlock> texts = [];
        foreach (var (revision, text) in historyOldestFirst)
        {
            texts = MarkdownBlocks.Split(text);
            var current = symbols.Ids(texts.Select(block => block.Text).ToArray());
            var currentOwners = Enumerable.Repeat(revision, current.Length).ToArray();
            int oldIndex = 0, newIndex = 0;
            foreach (var hunk in SequenceDiff.Compute(blocks, current).Append(new Hunk(blocks.Length, 0, current.Length, 0)))
            {
                for (; oldIndex < hunk.OldStart; oldIndex++, newIndex++)
                {
                    currentOwners[newIndex] = owners[oldIndex];
                }

                (oldIndex, newIndex) = (hunk.OldEnd, hunk.NewEnd);
            }

            (blocks, owners) = (current, currentOwners);
        }

        return texts.Select((block, index) => new BlameEntry<TRevision>(index, block.Text, owners[index])).ToArray();
    }
}
