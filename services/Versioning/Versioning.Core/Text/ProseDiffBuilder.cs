namespace Folio.Versioning.Core.Text;

internal static class ProseDiffBuilder
{
    public static ProseDiff Build(MarkdownLayout oldLayout, MarkdownLayout newLayout)
    {
        var oldSegments = oldLayout.Segments;
        var newSegments = newLayout.Segments;
        var symbols = new Symbols();
        var hunks = SequenceDiff.Compute(
            symbols.Ids(oldSegments.Select(segment => segment.Block.Text).ToArray()),
            symbols.Ids(newSegments.Select(segment => segment.Block.Text).ToArray()));

        var changes = new List<BlockChange>(Math.Max(oldSegments.Count, newSegments.Count));
        int oldIndex = 0, newIndex = 0;
        foreach (var hunk in hunks.Append(new Hunk(oldSegments.Count, 0, newSegments.Count, 0)))
        {
            for (; oldIndex < hunk.OldStart; oldIndex++, newIndex++)
            {
                changes.Add(Unchanged(oldSegments[oldIndex], oldIndex, newSegments[newIndex], newIndex));
            }

            AddHunk(changes, oldSegments, newSegments, hunk);
            oldIndex = hunk.OldEnd;
            newIndex = hunk.NewEnd;
        }

        return new ProseDiff(changes, Stats(changes))
        {
            OldLeading = oldLayout.Leading,
            NewLeading = newLayout.Leading,
        };
    }

    private static void AddHunk(List<BlockChange> changes, IReadOnlyList<MarkdownSegment> oldSegments, IReadOnlyList<MarkdownSegment> newSegments, Hunk hunk)
    {
        var removed = oldSegments.Skip(hunk.OldStart).Take(hunk.OldCount).Select(segment => segment.Block.Text).ToArray();
        var added = newSegments.Skip(hunk.NewStart).Take(hunk.NewCount).Select(segment => segment.Block.Text).ToArray();
        int r = 0, a = 0;
        foreach (var (pairedOld, pairedNew) in BlockPairing.Pair(removed, added).Append((removed.Length, added.Length)))
        {
            for (; r < pairedOld; r++)
            {
                changes.Add(Removed(oldSegments[hunk.OldStart + r], hunk.OldStart + r));
            }

            for (; a < pairedNew; a++)
            {
                changes.Add(Added(newSegments[hunk.NewStart + a], hunk.NewStart + a));
            }

            if (r < removed.Length && a < added.Length)
            {
                changes.Add(Modified(oldSegments[hunk.OldStart + r], hunk.OldStart + r, newSegments[hunk.NewStart + a], hunk.NewStart + a));
                r++;
                a++;
            }
        }
    }

    private static BlockChange Unchanged(MarkdownSegment old, int oldIndex, MarkdownSegment @new, int newIndex) =>
        new(ChangeKind.Unchanged, oldIndex, newIndex, old.Block.Text, @new.Block.Text, @new.Block.Kind, [])
        {
            OldSeparator = old.Separator,
            NewSeparator = @new.Separator,
        };

    private static BlockChange Removed(MarkdownSegment old, int oldIndex) =>
        new(ChangeKind.Removed, oldIndex, null, old.Block.Text, null, old.Block.Kind, []) { OldSeparator = old.Separator };

    private static BlockChange Added(MarkdownSegment @new, int newIndex) =>
        new(ChangeKind.Added, null, newIndex, null, @new.Block.Text, @new.Block.Kind, []) { NewSeparator = @new.Separator };

    private static BlockChange Modified(MarkdownSegment old, int oldIndex, MarkdownSegment @new, int newIndex) =>
        new(ChangeKind.Modified, oldIndex, newIndex, old.Block.Text, @new.Block.Text, @new.Block.Kind, WordDiff.Compute(old.Block.Text, @new.Block.Text))
        {
            OldSeparator = old.Separator,
            NewSeparator = @new.Separator,
        };

    private static DiffStats Stats(List<BlockChange> changes)
    {
        int wordsAdded = 0, wordsRemoved = 0, oldWords = 0, newWords = 0, blocksAdded = 0, blocksRemoved = 0, blocksModified = 0;
        foreach (var change in changes)
        {
            var before = change.OldText is null ? 0 : WordCount.Count(change.OldText);
            var after = change.Kind == ChangeKind.Unchanged ? before : change.NewText is null ? 0 : WordCount.Count(change.NewText);
            oldWords += before;
            newWords += after;
            switch (change.Kind)
            {
                case ChangeKind.Added:
                    blocksAdded++;
                    wordsAdded += after;
                    break;
                case ChangeKind.Removed:
                    blocksRemoved++;
                    wordsRemoved += before;
                    break;
                case ChangeKind.Modified:
                    blocksModified++;
                    wordsAdded += change.Words.Where(word => word.Kind == ChangeKind.Added).Sum(word => WordCount.Count(word.Text));
                    wordsRemoved += change.Words.Where(word => word.Kind == ChangeKind.Removed).Sum(word => WordCount.Count(word.Text));
                    break;
            }
        }

        var percent = Math.Round(100.0 * Math.Max(wordsAdded, wordsRemoved) / Math.Max(oldWords, 1), 2);
        return new DiffStats(wordsAdded, wordsRemoved, blocksAdded, blocksRemoved, blocksModified, percent) { OldWords = oldWords, NewWords = newWords };
    }
}
