namespace Folio.Versioning.Core.Text;

/// <summary>
/// Port of git's xdl_do_merge (xdiff/xmerge.c): walks the base→ours and base→theirs hunks together. A hunk
/// that neither overlaps nor touches a hunk of the other side is taken; hunks that overlap or are adjacent
/// (git's strict "&lt;") conflict unless they are identical, and touching conflicts grow into one region.
/// </summary>
internal static class Diff3
{
    public static List<MergeRecord> Merge(int baseLength, int[] oursIds, IReadOnlyList<Hunk> ours, int[] theirsIds, IReadOnlyList<Hunk> theirs)
    {
        var records = new List<MergeRecord>();
        int x = 0, y = 0;
        while (x < ours.Count && y < theirs.Count)
        {
            var one = ours[x];
            var two = theirs[y];
            if (one.OldEnd < two.OldStart)
            {
                Append(records, MergeMode.TakeOurs, one.OldStart, one.OldCount, one.NewStart, one.NewCount, two.NewStart - two.OldStart + one.OldStart, one.OldCount);
                x++;
                continue;
            }

            if (two.OldEnd < one.OldStart)
            {
                Append(records, MergeMode.TakeTheirs, two.OldStart, two.OldCount, one.NewStart - one.OldStart + two.OldStart, two.OldCount, two.NewStart, two.NewCount);
                y++;
                continue;
            }

            if (!Identical(one, two, oursIds, theirsIds))
            {
                var off = one.OldStart - two.OldStart;
                var ffo = off + one.OldCount - two.OldCount;
                int i0 = one.OldStart, i1 = one.NewStart, i2 = two.NewStart;
                if (off > 0)
                {
                    i0 -= off;
                    i1 -= off;
                }
                else
                {
                    i2 += off;
                }

                int chg0 = one.OldEnd - i0, chg1 = one.NewEnd - i1, chg2 = two.NewEnd - i2;
                if (ffo < 0)
                {
                    chg0 -= ffo;
                    chg1 -= ffo;
                }
                else
                {
                    chg2 += ffo;
                }

                Append(records, MergeMode.Conflict, i0, chg0, i1, chg1, i2, chg2);
            }

            if (one.OldEnd >= two.OldEnd)
            {
                y++;
            }

            if (two.OldEnd >= one.OldEnd)
            {
                x++;
            }
        }

        for (; x < ours.Count; x++)
        {
            var one = ours[x];
            Append(records, MergeMode.TakeOurs, one.OldStart, one.OldCount, one.NewStart, one.NewCount, one.OldStart + theirsIds.Length - baseLength, one.OldCount);
        }

        for (; y < theirs.Count; y++)
        {
            var two = theirs[y];
            Append(records, MergeMode.TakeTheirs, two.OldStart, two.OldCount, two.OldStart + oursIds.Length - baseLength, two.OldCount, two.NewStart, two.NewCount);
        }

        return records;
    }

    private static bool Identical(Hunk one, Hunk two, int[] oursIds, int[] theirsIds) =>
        one.OldStart == two.OldStart
        && one.OldCount == two.OldCount
        && one.NewCount == two.NewCount
        && oursIds.AsSpan(one.NewStart, one.NewCount).SequenceEqual(theirsIds.AsSpan(two.NewStart, two.NewCount));

    private static void Append(List<MergeRecord> records, MergeMode mode, int i0, int chg0, int i1, int chg1, int i2, int chg2)
    {
        if (records.Count > 0 && records[^1] is var last && (i1 <= last.I1 + last.Chg1 || i2 <= last.I2 + last.Chg2))
        {
            if (mode != last.Mode)
            {
                last.Mode = MergeMode.Conflict;
            }

            last.Chg0 = i0 + chg0 - last.I0;
            last.Chg1 = i1 + chg1 - last.I1;
            last.Chg2 = i2 + chg2 - last.I2;
            return;
        }

        records.Add(new MergeRecord(mode, i0, chg0, i1, chg1, i2, chg2));
    }
}
