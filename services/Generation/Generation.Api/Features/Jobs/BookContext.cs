using Folio.Generation.Api.Features.Books;
using Folio.Generation.Core.Agents;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// Everything the agents are told about the book for chapter <c>N</c>: the plan from Projects (characters with the
/// facts valid at N, places, outline) and which content the earlier chapters hold on the branch now — so a chapter a
/// writer edited by hand is carried forward as edited. Texts are fetched by content id when a step needs them.
/// </summary>
public sealed class BookContext
{
    private readonly BookPlan plan;

    public BookContext(BookPlan plan, IReadOnlyList<ChapterContent> manifest, int chapterNumber)
    {
        this.plan = plan;
        Story = new StoryContext(
            plan.Info.Title, plan.Bible.Genre ?? plan.Info.Genre, plan.Bible.Style, plan.Bible.Synopsis, plan.Info.Language,
            plan.Characters.Select(character => new StoryCharacter(
                character.Name, character.Aliases, character.Role, character.Description,
                character.Facts.Where(fact => fact.ValidAt(chapterNumber))
                    .GroupBy(fact => fact.Key).ToDictionary(facts => facts.Key, facts => facts.Last().Value))).ToList(),
            plan.World.Where(entry => entry.Kind is "place" or "location" or "setting")
                .Select(entry => new StoryPlace(entry.Name, entry.Description)).ToList());
        var contents = manifest.ToDictionary(chapter => chapter.ChapterId, chapter => chapter.ContentId);
        EarlierChapters = plan.Chapters.Where(chapter => chapter.Number < chapterNumber).OrderBy(chapter => chapter.Number)
            .Where(chapter => contents.ContainsKey(chapter.Id))
            .Select(chapter => (chapter, contents[chapter.Id]))
            .ToList();
    }

    public StoryContext Story { get; }

    /// <summary>Chapters before N that have text on the branch, in reading order, with the content id of that text.</summary>
    public IReadOnlyList<(BookChapter Planned, string ContentId)> EarlierChapters { get; }

    public BookChapter? Chapter(Guid chapterId) => plan.Chapters.FirstOrDefault(chapter => chapter.Id == chapterId);

    public IReadOnlyList<string>? OutlineBeats(int chapterNumber) =>
        plan.Bible.Outline?.FirstOrDefault(entry => entry.Chapter == chapterNumber)?.Beats is { Count: > 0 } beats ? beats : null;

    /// <summary>The content id of chapter N-1's text on the branch, if it has one.</summary>
    public string? PreviousChapterContent(int chapterNumber) =>
        EarlierChapters.LastOrDefault(pair => pair.Planned.Number == chapterNumber - 1).ContentId;

    /// <summary>The brief the writer planned in Projects, when it has beats to write from.</summary>
    public ChapterBrief? PlannedBrief(int chapterNumber, int defaultTargetWords)
    {
        var planned = plan.Chapters.FirstOrDefault(candidate => candidate.Number == chapterNumber);
        var beats = planned?.Brief?.Beats is { Count: > 0 } briefBeats ? briefBeats : OutlineBeats(chapterNumber);
        if (planned is null || beats is null)
        {
            return null;
        }

        return new ChapterBrief(
            chapterNumber, planned.Title, beats, planned.Brief?.PointOfView ?? "third person", planned.Brief?.Setting ?? "",
            planned.Brief?.CharactersPresent ?? [], planned.Brief?.Goal ?? beats[^1], planned.TargetLength ?? defaultTargetWords);
    }
}

/// <summary>The book as Projects plans it: details, bible, chapter metadata, characters and world.</summary>
public sealed record BookPlan(
    BookInfo Info, BookBible Bible, IReadOnlyList<BookChapter> Chapters, IReadOnlyList<BookCharacter> Characters, IReadOnlyList<BookWorldEntry> World);
