using Folio.Generation.Core.Agents;

namespace Folio.Generation.Core.Offline;

/// <summary>
/// A running summary of two to five sentences: who is in the chapter and which of the brief's beats it covers,
/// judged from the Markdown itself (a beat counts when all its key words are there).
/// </summary>
internal static class ChapterSummarizer
{
    public static string Summarize(SummaryRequest request)
    {
        var brief = request.Brief;
        var text = new HashSet<string>(Prose.Words(request.ChapterMarkdown), StringComparer.Ordinal);
        var named = brief.CharactersPresent
            .Where(name => request.ChapterMarkdown.Contains(name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (named.Count == 0)
        {
            named.Add(brief.PointOfView);
        }

        var properNames = request.Story.Characters.SelectMany(character => character.Aliases.Prepend(character.Name))
            .Concat(request.Story.Places.Select(place => place.Name)).Concat(named).ToArray();
        var covered = brief.Beats
            .Where(beat => Prose.KeyWords(beat).All(text.Contains))
            .Select(beat => Prose.AsClause(beat, properNames))
            .ToArray();

        var sentences = new List<string>
        {
            $"In chapter {brief.ChapterNumber}, \"{brief.Title}\", {Prose.JoinNames(named)} {(named.Count == 1 ? "is" : "are")} at {brief.Setting}.",
        };
        switch (covered.Length)
        {
            case 0:
                sentences.Add($"None of the planned beats happens yet; the chapter stays with {brief.PointOfView}.");
                break;
            case 1:
                sentences.Add(Prose.Capitalise(covered[0]) + ".");
                break;
            default:
                sentences.Add("First, " + covered[0] + ".");
                if (covered.Length > 2)
                {
                    sentences.Add("Then " + string.Join("; then ", covered[1..^1]) + ".");
                }

                sentences.Add("By the end, " + covered[^1] + ".");
                break;
        }

        return string.Join(' ', sentences);
    }
}
