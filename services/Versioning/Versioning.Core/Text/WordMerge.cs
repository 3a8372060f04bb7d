namespace Folio.Versioning.Core.Text;

/// <summary>
/// Three-way merge of one block's words, tried when both sides edited the same block. Stricter than git's
/// line rule: different edits from the two sides must be separated by at least one word that they did not edit
/// differently (whitespace alone does not separate them), otherwise the block stays a conflict; an edit both
/// sides made identically is taken once.
/// </summary>
internal static class WordMerge
{
    public static string? TryMerge(string @base, string ours, string theirs)
    {
        var baseTokens = Tokens.Split(@base);
        var oursTokens = Tokens.Split(ours);
        var theirsTokens = Tokens.Split(theirs);
        var symbols = new Symbols();
        var baseIds = symbols.Ids(baseTokens);
        var oursIds = symbols.Ids(oursTokens);
        var theirsIds = symbols.Ids(theirsTokens);
        var oursHunks = SequenceDiff.Compute(baseIds, oursIds);
        var theirsHunks = SequenceDiff.Compute(baseIds, theirsIds);

        // An edit both sides made identically is no source of conflict: it is taken once and not checked.
        var shared = oursHunks.Where(oursHunk => theirsHunks.Any(theirsHunk => Identical(oursHunk, oursIds, theirsHunk, theirsIds))).ToHashSet();
        var oursOnly = oursHunks.Where(hunk => !shared.Contains(hunk)).ToArray();
        var theirsOnly = theirsHunks.Where(theirsHunk => !oursHunks.Any(oursHunk => Identical(oursHunk, oursIds, theirsHunk, theirsIds))).ToArray();
        if (oursOnly.Any(oursHunk => theirsOnly.Any(theirsHunk => Interfere(oursHunk, theirsHunk, baseTokens))))
        {
            return null;
        }

        var edits = oursHunks.Select(hunk => (Hunk: hunk, Tokens: oursTokens)).Concat(theirsOnly.Select(hunk => (Hunk: hunk, Tokens: theirsTokens)));
        var merged = new System.Text.StringBuilder();
        var position = 0;
        foreach (var (hunk, tokens) in edits.OrderBy(edit => edit.Hunk.OldStart))
        {
            merged.AppendJoin(string.Empty, baseTokens[position..hunk.OldStart]);
            merged.AppendJoin(string.Empty, tokens[hunk.NewStart..hunk.NewEnd]);
            position = hunk.OldEnd;
        }

        return merged.AppendJoin(string.Empty, baseTokens[position..]).ToString();
    }

    private static bool Identical(Hunk one, int[] oneIds, Hunk two, int[] twoIds) =>
        one.OldStart == two.OldStart
        && one.OldCount == two.OldCount
        && oneIds.AsSpan(one.NewStart, one.NewCount).SequenceEqual(twoIds.AsSpan(two.NewStart, two.NewCount));

    private static bool Interfere(Hunk one, Hunk two, string[] baseTokens)
    {
        var (first, second) = one.OldStart <= two.OldStart ? (one, two) : (two, one);
        if (second.OldStart < first.OldEnd)
        {
            return true;
        }

        for (var i = first.OldEnd; i < second.OldStart; i++)
        {
            if (!Tokens.IsWhitespace(baseTokens[i]))
            {
                return false;
            }
        }

        return true;
    }
}
