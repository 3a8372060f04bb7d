namespace Folio.Versioning.Core.Text;

/// <summary>
/// Port of git's Myers diff as <c>git merge-file</c> runs it: xdiff/xprepare.c trims common ends and leaves out
/// elements with no match on the other side (and runs of too-frequent ones), then xdiff/xdiffi.c's
/// xdl_recs_cmp/xdl_split bisect the rest, with the same tie-breaking and the same cost heuristics. Matching
/// git choice for choice is what makes the block merge agree with git even when paragraphs repeat.
/// </summary>
internal sealed class XdiffMyers
{
    private const int MaxCostMin = 256;
    private const int HeuristicMinCost = 256;
    private const int SnakeCount = 20;
    private const int HeuristicFactor = 4;
    private const int MaxEqualLimit = 1024;
    private const int SimilarScanWindow = 100;
    private const int DiscardRunFactor = 4;
    private const int LineMax = int.MaxValue;
    private const byte Discard = 0;
    private const byte KeepIt = 1;
    private const byte Investigate = 2;

    private readonly int[] ids1;
    private readonly int[] ids2;
    private readonly int[] index1;
    private readonly int[] index2;
    private readonly Changes changed1;
    private readonly Changes changed2;
    private readonly int[] forward;
    private readonly int[] backward;
    private readonly int diagonalOffset;
    private readonly int maxCost;

    private XdiffMyers(int[] a, int[] b, Changes changedA, Changes changedB)
    {
        changed1 = changedA;
        changed2 = changedB;
        var start = 0;
        var limit = Math.Min(a.Length, b.Length);
        while (start < limit && a[start] == b[start])
        {
            start++;
        }

        var tail = 0;
        while (tail < limit - start && a[^(tail + 1)] == b[^(tail + 1)])
        {
            tail++;
        }

        var symbols = Math.Max(a.DefaultIfEmpty(-1).Max(), b.DefaultIfEmpty(-1).Max()) + 1;
        (index1, ids1) = Keep(a, start, a.Length - tail, Occurrences(b, symbols), changedA);
        (index2, ids2) = Keep(b, start, b.Length - tail, Occurrences(a, symbols), changedB);

        var diagonals = ids1.Length + ids2.Length + 3;
        forward = new int[diagonals];
        backward = new int[diagonals];
        diagonalOffset = ids2.Length + 1;
        maxCost = Math.Max(BogoSqrt(diagonals), MaxCostMin);
    }

    public static void Run(int[] a, int[] b, Changes changedA, Changes changedB)
    {
        var diff = new XdiffMyers(a, b, changedA, changedB);
        diff.Compare(0, diff.ids1.Length, 0, diff.ids2.Length, needMinimal: false);
    }

    /// <summary>xdl_cleanup_records: which elements of [start, end) take part in the diff; the others are changed.</summary>
    private static (int[] Index, int[] Ids) Keep(int[] ids, int start, int end, int[] occurrencesInOther, Changes changed)
    {
        var limit = Math.Min(BogoSqrt(ids.Length), MaxEqualLimit);
        var action = new byte[ids.Length];
        for (var i = start; i < end; i++)
        {
            var matches = occurrencesInOther[ids[i]];
            action[i] = matches == 0 ? Discard : matches >= limit ? Investigate : KeepIt;
        }

        var index = new List<int>(end - start);
        for (var i = start; i < end; i++)
        {
            if (action[i] == KeepIt || (action[i] == Investigate && !InRunOfDiscards(action, i, start, end - 1)))
            {
                index.Add(i);
            }
            else
            {
                changed[i] = true;
            }
        }

        return ([.. index], index.Select(i => ids[i]).ToArray());
    }

    /// <summary>xdl_clean_mmatch: a frequent element is left out when it sits in a run of unmatched ones.</summary>
    private static bool InRunOfDiscards(byte[] action, int i, int start, int end)
    {
        start = Math.Max(start, i - SimilarScanWindow);
        end = Math.Min(end, i + SimilarScanWindow);
        int discardedBefore = 0, frequentBefore = 1;
        for (var r = 1; i - r >= start; r++)
        {
            if (action[i - r] == Discard)
            {
                discardedBefore++;
            }
            else if (action[i - r] == Investigate)
            {
                frequentBefore++;
            }
            else
            {
                break;
            }
        }

        if (discardedBefore == 0)
        {
            return false;
        }

        int discardedAfter = 0, frequentAfter = 1;
        for (var r = 1; i + r <= end; r++)
        {
            if (action[i + r] == Discard)
            {
                discardedAfter++;
            }
            else if (action[i + r] == Investigate)
            {
                frequentAfter++;
            }
            else
            {
                break;
            }
        }

        if (discardedAfter == 0)
        {
            return false;
        }

        var discarded = discardedBefore + discardedAfter;
        var frequent = frequentBefore + frequentAfter;
        return frequent * DiscardRunFactor < frequent + discarded;
    }

    private static int[] Occurrences(int[] ids, int symbols)
    {
        var counts = new int[symbols];
        foreach (var id in ids)
        {
            counts[id]++;
        }

        return counts;
    }

    private static int BogoSqrt(int n)
    {
        var root = 1;
        for (; n > 0; n >>= 2)
        {
            root <<= 1;
        }

        return root;
    }

    /// <summary>xdl_recs_cmp: shrink the box by its common ends, then divide at xdl_split's point.</summary>
    private void Compare(int off1, int lim1, int off2, int lim2, bool needMinimal)
    {
        while (off1 < lim1 && off2 < lim2 && ids1[off1] == ids2[off2])
        {
            off1++;
            off2++;
        }

        while (off1 < lim1 && off2 < lim2 && ids1[lim1 - 1] == ids2[lim2 - 1])
        {
            lim1--;
            lim2--;
        }

        if (off1 == lim1)
        {
            for (; off2 < lim2; off2++)
            {
                changed2[index2[off2]] = true;
            }
        }
        else if (off2 == lim2)
        {
            for (; off1 < lim1; off1++)
            {
                changed1[index1[off1]] = true;
            }
        }
        else
        {
            var split = Split(off1, lim1, off2, lim2, needMinimal);
            Compare(off1, split.I1, off2, split.I2, split.MinimalLow);
            Compare(split.I1, lim1, split.I2, lim2, split.MinimalHigh);
        }
    }

    private ref int Forward(int diagonal) => ref forward[diagonal + diagonalOffset];

    private ref int Backward(int diagonal) => ref backward[diagonal + diagonalOffset];

    /// <summary>xdl_split: the furthest-reaching overlap of the forward and backward searches, or a heuristic cut.</summary>
    private (int I1, int I2, bool MinimalLow, bool MinimalHigh) Split(int off1, int lim1, int off2, int lim2, bool needMinimal)
    {
        int dmin = off1 - lim2, dmax = lim1 - off2;
        int fmid = off1 - off2, bmid = lim1 - lim2;
        var odd = ((fmid - bmid) & 1) != 0;
        int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
        Forward(fmid) = off1;
        Backward(bmid) = lim1;

        for (var cost = 1; ; cost++)
        {
            var gotSnake = false;
            if (fmin > dmin)
            {
                Forward(--fmin - 1) = -1;
            }
            else
            {
                ++fmin;
            }

            if (fmax < dmax)
            {
                Forward(++fmax + 1) = -1;
            }
            else
            {
                --fmax;
            }

            for (var d = fmax; d >= fmin; d -= 2)
            {
                var i1 = Forward(d - 1) >= Forward(d + 1) ? Forward(d - 1) + 1 : Forward(d + 1);
                var previous = i1;
                var i2 = i1 - d;
                for (; i1 < lim1 && i2 < lim2 && ids1[i1] == ids2[i2]; i1++, i2++)
                {
                }

                gotSnake |= i1 - previous > SnakeCount;
                Forward(d) = i1;
                if (odd && bmin <= d && d <= bmax && Backward(d) <= i1)
                {
                    return (i1, i2, true, true);
                }
            }

            if (bmin > dmin)
            {
                Backward(--bmin - 1) = LineMax;
            }
            else
            {
                ++bmin;
            }

            if (bmax < dmax)
            {
                Backward(++bmax + 1) = LineMax;
            }
            else
            {
                --bmax;
            }

            for (var d = bmax; d >= bmin; d -= 2)
            {
                var i1 = Backward(d - 1) < Backward(d + 1) ? Backward(d - 1) : Backward(d + 1) - 1;
                var previous = i1;
                var i2 = i1 - d;
                for (; i1 > off1 && i2 > off2 && ids1[i1 - 1] == ids2[i2 - 1]; i1--, i2--)
                {
                }

                gotSnake |= previous - i1 > SnakeCount;
                Backward(d) = i1;
                if (!odd && fmin <= d && d <= fmax && i1 <= Forward(d))
                {
                    return (i1, i2, true, true);
                }
            }

            if (needMinimal)
            {
                continue;
            }

            if (gotSnake && cost > HeuristicMinCost && GoodSnake(cost, off1, lim1, off2, lim2, fmin, fmax, fmid, bmin, bmax, bmid) is { } good)
            {
                return good;
            }

            if (cost >= maxCost)
            {
                return FurthestReaching(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax);
            }
        }
    }

    /// <summary>A diagonal that got far with a long snake behind (or ahead of) it: good enough to split at.</summary>
    private (int, int, bool, bool)? GoodSnake(int cost, int off1, int lim1, int off2, int lim2, int fmin, int fmax, int fmid, int bmin, int bmax, int bmid)
    {
        int best = 0, split1 = 0, split2 = 0;
        for (var d = fmax; d >= fmin; d -= 2)
        {
            var distance = Math.Abs(d - fmid);
            var i1 = Forward(d);
            var i2 = i1 - d;
            var value = (i1 - off1) + (i2 - off2) - distance;
            if (value > HeuristicFactor * cost && value > best && off1 + SnakeCount <= i1 && i1 < lim1 && off2 + SnakeCount <= i2 && i2 < lim2)
            {
                for (var k = 1; ids1[i1 - k] == ids2[i2 - k]; k++)
                {
                    if (k == SnakeCount)
                    {
                        (best, split1, split2) = (value, i1, i2);
                        break;
                    }
                }
            }
        }

        if (best > 0)
        {
            return (split1, split2, true, false);
        }

        for (var d = bmax; d >= bmin; d -= 2)
        {
            var distance = Math.Abs(d - bmid);
            var i1 = Backward(d);
            var i2 = i1 - d;
            var value = (lim1 - i1) + (lim2 - i2) - distance;
            if (value > HeuristicFactor * cost && value > best && off1 < i1 && i1 <= lim1 - SnakeCount && off2 < i2 && i2 <= lim2 - SnakeCount)
            {
                for (var k = 0; ids1[i1 + k] == ids2[i2 + k]; k++)
                {
                    if (k == SnakeCount - 1)
                    {
                        (best, split1, split2) = (value, i1, i2);
                        break;
                    }
                }
            }
        }

        return best > 0 ? (split1, split2, false, true) : null;
    }

    /// <summary>The search got too expensive: split at whichever direction reached furthest.</summary>
    private (int, int, bool, bool) FurthestReaching(int off1, int lim1, int off2, int lim2, int fmin, int fmax, int bmin, int bmax)
    {
        int forwardBest = -1, forwardBest1 = -1;
        for (var d = fmax; d >= fmin; d -= 2)
        {
            var i1 = Math.Min(Forward(d), lim1);
            var i2 = i1 - d;
            if (lim2 < i2)
            {
                i1 = lim2 + d;
                i2 = lim2;
            }

            if (forwardBest < i1 + i2)
            {
                forwardBest = i1 + i2;
                forwardBest1 = i1;
            }
        }

        int backwardBest = LineMax, backwardBest1 = LineMax;
        for (var d = bmax; d >= bmin; d -= 2)
        {
            var i1 = Math.Max(off1, Backward(d));
            var i2 = i1 - d;
            if (i2 < off2)
            {
                i1 = off2 + d;
                i2 = off2;
            }

            if (i1 + i2 < backwardBest)
            {
                backwardBest = i1 + i2;
                backwardBest1 = i1;
            }
        }

        return (lim1 + lim2) - backwardBest < forwardBest - (off1 + off2)
            ? (forwardBest1, forwardBest - forwardBest1, true, false)
            : (backwardBest1, backwardBest - backwardBest1, false, true);
    }
}
