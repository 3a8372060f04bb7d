namespace Folio.Versioning.Core.Text;

/// <summary>
/// Port of git's xdl_change_compact (xdiff/xdiffi.c) without the indent heuristic, which
/// <c>git merge-file</c> does not enable: every run of changes slides as far down as equal elements allow,
/// then back up to line up with a change on the other side if it passed one.
/// </summary>
internal static class Compaction
{
    public static void Run(int[] records, Changes changes, Changes other)
    {
        var g = Group.First(changes);
        var go = Group.First(other);
        while (true)
        {
            if (g.End != g.Start)
            {
                int groupSize, earliestEnd, endMatchingOther;
                do
                {
                    groupSize = g.End - g.Start;
                    endMatchingOther = -1;
                    while (g.SlideUp(records, changes))
                    {
                        Sync(go.Previous(other));
                    }

                    earliestEnd = g.End;
                    if (go.End > go.Start)
                    {
                        endMatchingOther = g.End;
                    }

                    while (g.SlideDown(records, changes))
                    {
                        Sync(go.Next(other));
                        if (go.End > go.Start)
                        {
                            endMatchingOther = g.End;
                        }
                    }
                }
                while (groupSize != g.End - g.Start);

                if (g.End != earliestEnd && endMatchingOther != -1)
                {
                    while (go.End == go.Start)
                    {
                        Sync(g.SlideUp(records, changes));
                        Sync(go.Previous(other));
                    }
                }
            }

            if (!g.Next(changes))
            {
                break;
            }

            Sync(go.Next(other));
        }
    }

    private static void Sync(bool moved)
    {
        if (!moved)
        {
            throw new InvalidOperationException("Change groups of the two sequences went out of step.");
        }
    }

    /// <summary>A maximal run [Start, End) of changed elements, possibly empty; groups of both sides advance in step.</summary>
    private sealed class Group
    {
        public int Start { get; private set; }

        public int End { get; private set; }

        public static Group First(Changes changes)
        {
            var group = new Group();
            while (changes[group.End])
            {
                group.End++;
            }

            return group;
        }

        public bool Next(Changes changes)
        {
            if (End == changes.Count)
            {
                return false;
            }

            Start = End + 1;
            End = Start;
            while (changes[End])
            {
                End++;
            }

            return true;
        }

        public bool Previous(Changes changes)
        {
            if (Start == 0)
            {
                return false;
            }

            End = Start - 1;
            Start = End;
            while (changes[Start - 1])
            {
                Start--;
            }

            return true;
        }

        public bool SlideDown(int[] records, Changes changes)
        {
            if (End >= changes.Count || records[Start] != records[End])
            {
                return false;
            }

            changes[Start++] = false;
            changes[End++] = true;
            while (changes[End])
            {
                End++;
            }

            return true;
        }

        public bool SlideUp(int[] records, Changes changes)
        {
            if (Start <= 0 || records[Start - 1] != records[End - 1])
            {
                return false;
            }

            changes[--Start] = true;
            changes[--End] = false;
            while (changes[Start - 1])
            {
                Start--;
            }

            return true;
        }
    }
}
