namespace Folio.Versioning.Core.Text;

/// <summary>
/// Block-level three-way merge with git's rules (<see cref="Diff3"/>: a change made on one side is taken, the
/// same change on both sides is taken once, changes that overlap or touch conflict, so a deletion on one side
/// and an edit on the other conflict too). A conflict where both sides rewrote the same single block is merged
/// word by word (<see cref="WordMerge"/>) when their edits are apart; otherwise it stays a conflict.
/// </summary>
public static class ThreeWayMerge
{
    public static MergeResult Merge(string @base, string ours, string theirs)
    {
        ArgumentNullException.ThrowIfNull(@base);
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(theirs);
        return new MergeBuilder(MarkdownBlocks.Layout(@base), MarkdownBlocks.Layout(ours), MarkdownBlocks.Layout(theirs)).Build();
    }
}
