namespace Folio.Versioning.Core.Text;

/// <summary>Word-level diff of two block texts as Unchanged/Removed/Added runs that rebuild both texts exactly.</summary>
internal static class WordDiff
{
    public static IReadOnlyList<WordChange> Compute(string oldText, string newText)
    {
        var oldTokens = Tokens.Split(oldText);
        var newTokens = Tokens.Split(newText);
        var symbols = new Symbols();
        var hunks = JoinAcrossWhitespace(SequenceDiff.Compute(symbols.Ids(oldTokens), symbols.Ids(newTokens)), oldTokens);

        var runs = new List<WordChange>();
        var oldIndex = 0;
        foreach (var hunk in hunks)
        {
            Add(runs, ChangeKind.Unchanged, oldTokens, oldIndex, hunk.OldStart);
            Add(runs, ChangeKind.Removed, oldTokens, hunk.OldStart, hunk.OldEnd);
            Add(runs, ChangeKind.Added, newTokens, hunk.NewStart, hunk.NewEnd);
            oldIndex = hunk.OldEnd;
        }

        Add(runs, ChangeKind.Unchanged, oldTokens, oldIndex, oldTokens.Length);
        return runs;
    }

    /// <summary>"{-a b-}{+x y+}" reads better than "{-a-}{+x+} {-b-}{+y+}": hunks only whitespace apart become one.</summary>
    private static List<Hunk> JoinAcrossWhitespace(IReadOnlyList<Hunk> hunks, string[] oldTokens)
    {
        var joined = new List<Hunk>(hunks.Count);
        foreach (var hunk in hunks)
        {
            if (joined.Count > 0 && OnlyWhitespace(oldTokens, joined[^1].OldEnd, hunk.OldStart))
            {
                var previous = joined[^1];
                joined[^1] = new Hunk(previous.OldStart, hunk.OldEnd - previous.OldStart, previous.NewStart, hunk.NewEnd - previous.NewStart);
            }
            else
            {
                joined.Add(hunk);
            }
        }

        return joined;
    }

    private static bool OnlyWhitespace(string[] tokens, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (!Tokens.IsWhitespace(tokens[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static void Add(List<WordChange> runs, ChangeKind kind, string[] tokens, int start, int end)
    {
        if (start < end)
        {
            runs.Add(new WordChange(kind, string.Concat(tokens[start..end])));
        }
    }
}
