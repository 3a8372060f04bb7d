namespace Folio.Versioning.Core.Text;

/// <summary>A run of changes: <c>OldCount</c> elements from <c>OldStart</c> replaced by <c>NewCount</c> from <c>NewStart</c>.</summary>
internal readonly record struct Hunk(int OldStart, int OldCount, int NewStart, int NewCount)
{
    public int OldEnd => OldStart + OldCount;

    public int NewEnd => NewStart + NewCount;
}

/// <summary>
/// Diff of two int sequences as git computes it for <c>git merge-file</c>: xdiff's Myers (<see cref="XdiffMyers"/>),
/// then git's change compaction (<see cref="Compaction"/>). Choosing the same alignment as git wherever several
/// are possible is what lets the block merge agree with git line for line.
/// </summary>
internal static class SequenceDiff
{
    public static IReadOnlyList<Hunk> Compute(int[] a, int[] b)
    {
        var changedA = new Changes(a.Length);
        var changedB = new Changes(b.Length);
        XdiffMyers.Run(a, b, changedA, changedB);
        Compaction.Run(a, changedA, changedB);
        Compaction.Run(b, changedB, changedA);
        return Hunks(changedA, changedB);
    }

    private static List<Hunk> Hunks(Changes a, Changes b)
    {
        var hunks = new List<Hunk>();
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
        {
            if (a[i] || b[j])
            {
                int startA = i, startB = j;
                while (a[i])
                {
                    i++;
                }

                while (b[j])
                {
                    j++;
                }

                hunks.Add(new Hunk(startA, i - startA, startB, j - startB));
            }
            else
            {
                i++;
                j++;
            }
        }

        return hunks;
    }
}

/// <summary>Which elements of a sequence are changed; indexes -1 and Count read as unchanged sentinels, as in xdiff.</summary>
internal sealed class Changes(int count)
{
    private readonly bool[] changed = new bool[count + 2];

    public int Count { get; } = count;

    public bool this[int index]
    {
        get => changed[index + 1];
        set => changed[index + 1] = value;
    }
}
