using System.Text.RegularExpressions;
using Folio.Generation.Core.Agents;

namespace Folio.Generation.Core.Offline;

/// <summary>
/// The offline architect: keeps the outline's beats when there are any and otherwise invents three to six from the
/// bible, and casts the chapter from the bible (the dead are never on stage).
/// </summary>
internal static partial class BriefPlanner
{
    private const string FallbackSetting = "the old house";

    public static ChapterBrief Write(BriefRequest request)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.TargetWords);
        var story = request.Story;
        var random = new SplitMix64(StableHash.Of("brief", request.Seed, request.ChapterNumber, request.ChapterTitle ?? ""));
        var outline = request.OutlineBeats.Where(beat => !string.IsNullOrWhiteSpace(beat)).Select(beat => beat.Trim()).ToArray();
        var living = story.Characters.Where(character => !Cast.IsDead(character)).ToArray();

        var named = living.Where(character => outline.Any(beat => Mentions(beat, character))).ToList();
        var pointOfView = named.Count > 0 ? named[0] : living.Length > 0 ? random.Pick(living) : null;
        var present = Present(random, living, named, pointOfView);
        var setting = NamedPlace(story, outline)?.Name ?? (story.Places.Count > 0 ? random.Pick(story.Places).Name : FallbackSetting);
        var elsewhere = story.Places.Select(place => place.Name).Where(name => name != setting).ToArray();
        var pointOfViewName = pointOfView?.Name ?? Cast.Stranger;
        var other = present.Count > 1 ? present[1] : pointOfViewName;

        var filler = new BeatFiller(random, pointOfViewName, other, setting, elsewhere.Length > 0 ? elsewhere : [setting]);
        var beats = outline.Length > 0 ? outline : Invent(random, filler, present.Count > 1);
        var goal = Prose.Capitalise(pointOfViewName) + " must " + filler.Fill(random.Pick(Usable(PhraseBank.Goals, present.Count > 1))) + ".";
        if (SynopsisSentence(story.Synopsis, request.ChapterNumber) is { } thread)
        {
            goal += " The book's thread: " + thread;
        }

        var title = string.IsNullOrWhiteSpace(request.ChapterTitle)
            ? $"The {random.Pick(PhraseBank.TitleAdjectives)} {random.Pick(PhraseBank.TitleNouns)}"
            : request.ChapterTitle.Trim();
        return new ChapterBrief(request.ChapterNumber, title, beats, pointOfViewName, setting, present, goal, request.TargetWords);
    }

    private static List<string> Present(SplitMix64 random, StoryCharacter[] living, List<StoryCharacter> named, StoryCharacter? pointOfView)
    {
        var present = named.ToList();
        if (pointOfView is not null && !present.Contains(pointOfView))
        {
            present.Insert(0, pointOfView);
        }

        var wanted = Math.Min(living.Length, random.Between(2, 4));
        var others = living.Except(present).ToList();
        while (present.Count < wanted)
        {
            var pick = others[random.Next(others.Count)];
            others.Remove(pick);
            present.Add(pick);
        }

        return present.Select(character => character.Name).ToList();
    }

    private static string[] Invent(SplitMix64 random, BeatFiller filler, bool twoOrMore)
    {
        var templates = Usable(PhraseBank.InventedBeats, twoOrMore);
        var count = Math.Min(templates.Count, random.Between(3, 6));
        var beats = new string[count];
        for (var i = 0; i < count; i++)
        {
            var template = templates[random.Next(templates.Count)];
            templates.Remove(template);
            beats[i] = Prose.Capitalise(filler.Fill(template)) + ".";
        }

        return beats;
    }

    /// <summary>
    /// The place the outline names in full, else the first whose name shares a word with it: outlines say
    /// "the lighthouse stairs" rather than "Greyhaven Lighthouse".
    /// </summary>
    private static StoryPlace? NamedPlace(StoryContext story, string[] outline)
    {
        var outlineWords = outline.SelectMany(Prose.Words).ToHashSet(StringComparer.Ordinal);
        return story.Places.FirstOrDefault(place => outline.Any(beat => beat.Contains(place.Name, StringComparison.OrdinalIgnoreCase)))
            ?? story.Places.FirstOrDefault(place => Prose.KeyWords(place.Name).Any(outlineWords.Contains));
    }

    /// <summary>Templates with a second character {b} need two people on stage.</summary>
    private static List<string> Usable(string[] templates, bool twoOrMore) =>
        templates.Where(template => twoOrMore || !template.Contains("{b}", StringComparison.Ordinal)).ToList();

    private static bool Mentions(string beat, StoryCharacter character) =>
        character.Aliases.Prepend(character.Name)
            .Any(name => name.Length > 0 && Regex.IsMatch(beat, $@"\b{Regex.Escape(name)}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));

    /// <summary>One sentence of the synopsis per chapter, in turn, so consecutive chapters lean on different threads.</summary>
    private static string? SynopsisSentence(string? synopsis, int chapterNumber)
    {
        if (string.IsNullOrWhiteSpace(synopsis))
        {
            return null;
        }

        var sentences = SentenceEnd().Split(synopsis.Trim()).Where(sentence => sentence.Length > 0).ToArray();
        return sentences[Math.Abs(chapterNumber - 1) % sentences.Length];
    }

    [GeneratedRegex(@"(?<=[.!?])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();

    private sealed partial class BeatFiller(SplitMix64 random, string first, string second, string place, string[] elsewhere)
    {
        public string Fill(string template) => Slot().Replace(template, match => match.Groups[1].Value switch
        {
            "a" => first,
            "b" => second,
            "place" => place,
            "elsewhere" => random.Pick(elsewhere),
            "object" => random.Pick(PhraseBank.Objects),
            "feature" => random.Pick(PhraseBank.Features),
            var slot => throw new InvalidOperationException($"Beat templates have no slot '{slot}'."),
        });

        [GeneratedRegex(@"\{(\w+)\}", RegexOptions.CultureInvariant)]
        private static partial Regex Slot();
    }
}
