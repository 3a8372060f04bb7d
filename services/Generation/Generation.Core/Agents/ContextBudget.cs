namespace Folio.Generation.Core.Agents;

/// <summary>What the writer is told about the story so far, cut to fit.</summary>
public sealed record CarriedContext(string? RunningSummary, string? PreviousChapterEnding, int Tokens, int DroppedSummaries);

/// <summary>
/// The writer's carried-over context must fit the model's window beside the prompt and the answer:
/// available = window − reserved answer − rendered prompt. The previous chapter's ending gets up to a third of that
/// (its last paragraphs, whole), the running summary the rest (newest chapters first; the oldest are dropped).
/// Tokens are counted as UTF-8 bytes / 4, the providers' own rule of thumb for English prose, rounded up so the
/// estimate errs towards fitting.
/// </summary>
public sealed class ContextBudget(int contextWindowTokens, int reservedAnswerTokens, int promptTokens)
{
    public int Available { get; } = Math.Max(0, contextWindowTokens - reservedAnswerTokens - promptTokens);

    public static int Tokens(string? text) => text is null ? 0 : (System.Text.Encoding.UTF8.GetByteCount(text) + 3) / 4;

    public CarriedContext Fit(IReadOnlyList<string> summariesOldestFirst, string? previousChapter)
    {
        var ending = LastParagraphs(previousChapter, Available / 3);
        var left = Available - Tokens(ending);
        var kept = new List<string>();
        for (var index = summariesOldestFirst.Count - 1; index >= 0; index--)
        {
            var line = $"Chapter {index + 1}: {summariesOldestFirst[index]}";
            var cost = Tokens(line) + 1;
            if (cost > left)
            {
                break;
            }

            kept.Insert(0, line);
            left -= cost;
        }

        var summary = kept.Count == 0 ? null : string.Join("\n", kept);
        return new CarriedContext(summary, ending, Tokens(summary) + Tokens(ending), summariesOldestFirst.Count - kept.Count);
    }

    /// <summary>Whole paragraphs from the end of the chapter, as many as fit in <paramref name="tokens"/>.</summary>
    private static string? LastParagraphs(string? chapter, int tokens)
    {
        if (string.IsNullOrWhiteSpace(chapter))
        {
            return null;
        }

        var paragraphs = chapter.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(paragraph => !paragraph.StartsWith('#')).ToList();
        var kept = new List<string>();
        var used = 0;
        for (var index = paragraphs.Count - 1; index >= 0; index--)
        {
            var cost = Tokens(paragraphs[index]) + 1;
            if (used + cost > tokens)
            {
                break;
            }

            kept.Insert(0, paragraphs[index]);
            used += cost;
        }

        return kept.Count == 0 ? null : string.Join("\n\n", kept);
    }
}
