namespace Folio.Versioning.Core.Text;

/// <summary>
/// Decides which removed blocks of a hunk were edited into which added blocks: an order-preserving pairing
/// that maximises the summed similarity of pairs at least <see cref="Threshold"/> similar. Similarity is the
/// Dice coefficient of the blocks' word multisets (1 = same words, 0 = none shared).
/// </summary>
internal static class BlockPairing
{
    public const double Threshold = 0.5;

    /// <summary>Above this many candidate pairs (a rewrite of hundreds of blocks), pair blocks by position only.</summary>
    private const int MaxAlignmentCells = 250_000;

    public static IReadOnlyList<(int Old, int New)> Pair(IReadOnlyList<string> removed, IReadOnlyList<string> added)
    {
        if (removed.Count == 0 || added.Count == 0)
        {
            return [];
        }

        var symbols = new Symbols();
        var oldWords = removed.Select(text => SortedWords(text, symbols)).ToArray();
        var newWords = added.Select(text => SortedWords(text, symbols)).ToArray();
        if ((long)removed.Count * added.Count > MaxAlignmentCells)
        {
            return Enumerable.Range(0, Math.Min(removed.Count, added.Count))
                .Where(i => Similarity(oldWords[i], newWords[i]) >= Threshold)
                .Select(i => (i, i))
                .ToArray();
        }

        return Align(oldWords, newWords);
    }

    public static double Similarity(int[] a, int[] b)
    {
        if (3 * Math.Min(a.Length, b.Length) < Math.Max(a.Length, b.Length))
        {
            return 0; // Dice cannot reach the threshold when one side has over three times the words.
        }

        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                common++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return 2.0 * common / (a.Length + b.Length);
    }

    private static List<(int Old, int New)> Align(int[][] oldWords, int[][] newWords)
    {
        int n = oldWords.Length, m = newWords.Length;
        var score = new double[n + 1, m + 1];
        for (var i = 1; i <= n; i++)
        {
            for (var j = 1; j <= m; j++)
            {
                var best = Math.Max(score[i - 1, j], score[i, j - 1]);
                var similarity = Similarity(oldWords[i - 1], newWords[j - 1]);
                score[i, j] = similarity >= Threshold ? Math.Max(best, score[i - 1, j - 1] + similarity) : best;
            }
        }

        var pairs = new List<(int Old, int New)>();
        for (int i = n, j = m; i > 0 && j > 0;)
        {
            if (score[i, j] == score[i - 1, j])
            {
                i--;
            }
            else if (score[i, j] == score[i, j - 1])
            {
                j--;
            }
            else
            {
                pairs.Add((i - 1, j - 1));
                i--;
                j--;
            }
        }

        pairs.Reverse();
        return pairs;
    }

    private static int[] SortedWords(string text, Symbols symbols)
    {
        var words = Tokens.Split(text).Where(token => !Tokens.IsWhitespace(token)).Select(symbols.Id).ToArray();
        Array.Sort(words);
        return words;
    }
}
