namespace Folio.Versioning.Core.Text;

/// <summary>Turns git-style merge records into regions, walking ours as xdl_fill_merge_buffer does.</summary>
internal sealed class MergeBuilder
{
    private readonly MarkdownLayout @base;
    private readonly MarkdownLayout ours;
    private readonly MarkdownLayout theirs;
    private readonly MergeLayout layout;
    private readonly int[] oursIds;
    private readonly int[] theirsIds;
    private readonly List<MergeRecord> records;
    private readonly List<MergeRegion> regions = [];
    private List<MergePiece> run = [];

    public MergeBuilder(MarkdownLayout @base, MarkdownLayout ours, MarkdownLayout theirs)
    {
        this.@base = @base;
        this.ours = ours;
        this.theirs = theirs;
        layout = new MergeLayout(@base, ours, theirs);
        var symbols = new Symbols();
        var baseIds = symbols.Ids(Texts(@base));
        oursIds = symbols.Ids(Texts(ours));
        theirsIds = symbols.Ids(Texts(theirs));
        records = Diff3.Merge(baseIds.Length, oursIds, SequenceDiff.Compute(baseIds, oursIds), theirsIds, SequenceDiff.Compute(baseIds, theirsIds));
    }

    public MergeResult Build()
    {
        int baseEnd = 0, oursEnd = 0, theirsEnd = 0;
        foreach (var record in records)
        {
            AddUnchanged(baseEnd, oursEnd, theirsEnd, record.I1);
            switch (record.Mode)
            {
                case MergeMode.TakeOurs:
                    run.AddRange(FromOurs(record.I1, record.Chg1));
                    break;
                case MergeMode.TakeTheirs:
                    run.AddRange(FromTheirs(record.I2, record.Chg2));
                    break;
                default:
                    AddConflict(record);
                    break;
            }

            (baseEnd, oursEnd, theirsEnd) = (record.I0 + record.Chg0, record.I1 + record.Chg1, record.I2 + record.Chg2);
        }

        AddUnchanged(baseEnd, oursEnd, theirsEnd, ours.Segments.Count);
        Flush();
        return new MergeResult(regions.All(region => region.Conflict is null), regions) { Layout = layout };
    }

    private void AddUnchanged(int baseEnd, int oursEnd, int theirsEnd, int oursStop)
    {
        for (var index = oursEnd; index < oursStop; index++)
        {
            run.Add(new MergePiece(ours.Segments[index].Block.Text, baseEnd + index - oursEnd, index, theirsEnd + index - oursEnd));
        }
    }

    private void AddConflict(MergeRecord record)
    {
        if (record.Chg1 > 0 && record.Chg2 > 0
            && oursIds.AsSpan(record.I1, record.Chg1).SequenceEqual(theirsIds.AsSpan(record.I2, record.Chg2)))
        {
            // git's zealous refinement finds no difference left between the sides: the change is the same on both.
            run.AddRange(FromOurs(record.I1, record.Chg1, theirsStart: record.I2));
            return;
        }

        Flush();
        if (record is { Chg0: 1, Chg1: 1, Chg2: 1 }
            && WordMerge.TryMerge(Text(@base, record.I0), Text(ours, record.I1), Text(theirs, record.I2)) is { } merged)
        {
            var piece = new MergePiece(merged, record.I0, record.I1, record.I2);
            regions.Add(new MergeRegion(merged, null) { WordMerged = true, Pieces = [piece] });
            return;
        }

        var conflict = new MergeConflict(regions.Count, Slice(@base, record.I0, record.Chg0), Slice(ours, record.I1, record.Chg1), Slice(theirs, record.I2, record.Chg2))
        {
            OursPieces = FromOurs(record.I1, record.Chg1),
            TheirsPieces = FromTheirs(record.I2, record.Chg2),
        };
        regions.Add(new MergeRegion(null, conflict));
    }

    private void Flush()
    {
        if (run.Count > 0)
        {
            regions.Add(new MergeRegion(layout.Join(run), null) { Pieces = run });
            run = [];
        }
    }

    /// <summary>Ours' blocks; <paramref name="theirsStart"/> when theirs has the very same blocks there.</summary>
    private MergePiece[] FromOurs(int start, int count, int? theirsStart = null) =>
        Enumerable.Range(start, count).Select(index => new MergePiece(Text(ours, index), Ours: index, Theirs: theirsStart + index - start)).ToArray();

    private MergePiece[] FromTheirs(int start, int count) =>
        Enumerable.Range(start, count).Select(index => new MergePiece(Text(theirs, index), Theirs: index)).ToArray();

    /// <summary>The side's exact text for a range of blocks, or null for an empty range.</summary>
    private static string? Slice(MarkdownLayout side, int start, int count) =>
        count == 0
            ? null
            : string.Concat(Enumerable.Range(start, count).Select(index => side.Segments[index].Block.Text + (index + 1 < start + count ? side.Segments[index].Separator : "")));

    private static string Text(MarkdownLayout side, int index) => side.Segments[index].Block.Text;

    private static string[] Texts(MarkdownLayout side) => side.Segments.Select(segment => segment.Block.Text).ToArray();
}
