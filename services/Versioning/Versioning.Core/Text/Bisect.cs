namespace Folio.Versioning.Core.Text;

/// <summary>Myers' middle-snake bisection (as in diff-match-patch), marking changed elements of both sides.</summary>
internal static class Bisect
{
    public static void Run(int[] a, int aStart, int aEnd, int[] b, int bStart, int bEnd, Changes changedA, Changes changedB)
    {
        while (aStart < aEnd && bStart < bEnd && a[aStart] == b[bStart])
        {
            aStart++;
            bStart++;
        }

        while (aStart < aEnd && bStart < bEnd && a[aEnd - 1] == b[bEnd - 1])
        {
            aEnd--;
            bEnd--;
        }

        if (aStart == aEnd || bStart == bEnd || MiddleSnake(a, aStart, aEnd, b, bStart, bEnd) is not { } split)
        {
            for (var i = aStart; i < aEnd; i++)
            {
                changedA[i] = true;
            }

            for (var j = bStart; j < bEnd; j++)
            {
                changedB[j] = true;
            }

            return;
        }

        Run(a, aStart, aStart + split.X, b, bStart, bStart + split.Y, changedA, changedB);
        Run(a, aStart + split.X, aEnd, b, bStart + split.Y, bEnd, changedA, changedB);
    }

    /// <summary>A point on an optimal edit path, relative to the starts, or null when nothing matches.</summary>
    private static (int X, int Y)? MiddleSnake(int[] a, int aStart, int aEnd, int[] b, int bStart, int bEnd)
    {
        int n = aEnd - aStart, m = bEnd - bStart;
        var maxD = (n + m + 1) / 2;
        var offset = maxD;
        var length = (2 * maxD) + 2;
        var forward = new int[length];
        var backward = new int[length];
        Array.Fill(forward, -1);
        Array.Fill(backward, -1);
        forward[offset + 1] = 0;
        backward[offset + 1] = 0;
        var delta = n - m;
        var front = (delta & 1) != 0;
        int k1Start = 0, k1End = 0, k2Start = 0, k2End = 0;

        for (var d = 0; d < maxD; d++)
        {
            for (var k1 = -d + k1Start; k1 <= d - k1End; k1 += 2)
            {
                var k1Offset = offset + k1;
                var x1 = k1 == -d || (k1 != d && forward[k1Offset - 1] < forward[k1Offset + 1])
                    ? forward[k1Offset + 1]
                    : forward[k1Offset - 1] + 1;
                var y1 = x1 - k1;
                while (x1 < n && y1 < m && a[aStart + x1] == b[bStart + y1])
                {
                    x1++;
                    y1++;
                }

                forward[k1Offset] = x1;
                if (x1 > n)
                {
                    k1End += 2;
                }
                else if (y1 > m)
                {
                    k1Start += 2;
                }
                else if (front)
                {
                    var k2Offset = offset + delta - k1;
                    if (k2Offset >= 0 && k2Offset < length && backward[k2Offset] != -1 && x1 >= n - backward[k2Offset])
                    {
                        return (x1, y1);
                    }
                }
            }

            for (var k2 = -d + k2Start; k2 <= d - k2End; k2 += 2)
            {
                var k2Offset = offset + k2;
                var x2 = k2 == -d || (k2 != d && backward[k2Offset - 1] < backward[k2Offset + 1])
                    ? backward[k2Offset + 1]
                    : backward[k2Offset - 1] + 1;
                var y2 = x2 - k2;
                while (x2 < n && y2 < m && a[aEnd - x2 - 1] == b[bEnd - y2 - 1])
                {
                    x2++;
                    y2++;
                }

                backward[k2Offset] = x2;
                if (x2 > n)
                {
                    k2End += 2;
                }
                else if (y2 > m)
                {
                    k2Start += 2;
                }
                else if (!front)
                {
                    var k1Offset = offset + delta - k2;
                    if (k1Offset >= 0 && k1Offset < length && forward[k1Offset] != -1)
                    {
                        var x1 = forward[k1Offset];
                        var y1 = offset + x1 - k1Offset;
                        if (x1 >= n - x2)
                        {
                            return (x1, y1);
                        }
                    }
                }
            }
        }

        return null;
    }
}
