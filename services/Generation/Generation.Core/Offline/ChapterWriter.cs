using System.Text;
using Folio.Generation.Core.Agents;

namespace Folio.Generation.Core.Offline;

/// <summary>
/// Writes a chapter as Markdown: the title, then for each beat, in order, a run of paragraphs that opens by
/// restating the beat. The word budget is shared evenly between the beats and met sentence by sentence.
/// Sentences of the previous chapter's ending are not repeated.
/// </summary>
internal static class ChapterWriter
{
    private const int MinSentences = 2;
    private const int MaxSentences = 7;

    /// <summary>A budget this close to spent is not worth a new paragraph of at least two sentences.</summary>
    private const int NotWorthAParagraph = 5;

    /// <summary>Shortest sentence the phrase bank reliably offers; a cap below it would only force the fallback.</summary>
    private const int ShortestSentence = 4;

    public static string Write(ChapterRequest request)
    {
        var brief = request.Brief;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(brief.TargetWords);
        var random = new SplitMix64(StableHash.Of("chapter", request.Seed, brief.ChapterNumber, brief.Title));
        var cast = Cast.For(request.Story, brief.CharactersPresent, brief.PointOfView);
        var elsewhere = request.Story.Places.Select(place => place.Name)
            .Where(name => !name.Equals(brief.Setting, StringComparison.OrdinalIgnoreCase)).ToArray();
        var composer = new SentenceComposer(random, cast, brief.PointOfView, brief.Setting, elsewhere);
        var properNames = ProperNames(request.Story, cast);
        if (request.PreviousChapterEnding is { } previousEnding)
        {
            composer.Avoid(previousEnding);
        }

        var heading = "# " + brief.Title;
        var headingWords = Prose.CountWords(heading);
        var bodyWords = brief.TargetWords - headingWords;
        var words = headingWords;
        IReadOnlyList<string> beats = brief.Beats.Count > 0 ? brief.Beats : [brief.Goal];
        var startPhase = random.Between(0, 3);
        var paragraphs = new List<List<string>>();

        for (var beat = 0; beat < beats.Count; beat++)
        {
            composer.Phase = startPhase + (beat * (PhraseBank.TimePhases.Length - startPhase) / beats.Count);
            var beatEnd = headingWords + (bodyWords * (beat + 1) / beats.Count);
            var beatOpened = false;
            while (!beatOpened || beatEnd - words >= NotWorthAParagraph)
            {
                var paragraph = new List<string>();
                var size = random.Between(MinSentences, MaxSentences);
                if (paragraphs.Count == 0)
                {
                    Add(paragraph, composer.Opening(Cap(beatEnd - words, paragraph.Count)));
                }

                if (!beatOpened)
                {
                    Add(paragraph, composer.BeatOpening(Prose.AsClause(beats[beat], properNames), int.MaxValue));
                    beatOpened = true;
                }

                while (paragraph.Count < size && (paragraph.Count < MinSentences || words < beatEnd))
                {
                    Add(paragraph, composer.Next(Cap(beatEnd - words, paragraph.Count)));
                }

                paragraphs.Add(paragraph);
            }
        }

        void Add(List<string> paragraph, string sentence)
        {
            paragraph.Add(sentence);
            words += Prose.CountWords(sentence);
        }

        var markdown = new StringBuilder(heading).Append("\n\n");
        markdown.AppendJoin("\n\n", paragraphs.Select(paragraph => string.Join(' ', paragraph)));
        return markdown.Append('\n').ToString();
    }

    /// <summary>
    /// The longest sentence that keeps the chapter near its budget: what remains, less room for the second
    /// sentence a paragraph still owes; never below the shortest sentence the bank can offer.
    /// </summary>
    private static int Cap(int remaining, int sentencesSoFar)
    {
        var owed = sentencesSoFar + 1 < MinSentences ? ShortestSentence + 2 : 0;
        return Math.Max(ShortestSentence + 2, remaining - owed + 3);
    }

    private static string[] ProperNames(StoryContext story, Cast cast) =>
        story.Characters.SelectMany(character => character.Aliases.Prepend(character.Name))
            .Concat(cast.Living.Concat(cast.Dead).Select(character => character.Name))
            .Concat(story.Places.Select(place => place.Name))
            .Where(name => name.Length > 0 && char.IsUpper(name[0]))
            .ToArray();
}
