using Folio.Contracts.Grpc.Versioning;
using Folio.Generation.Api.Features.Books;
using Folio.Generation.Core.Agents;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// Everything the agents are told about the book for chapter <c>N</c>: the bible from Projects (characters with the
/// facts valid at N, places, outline) and the text of the earlier chapters as the branch holds it now — so a chapter
/// a writer edited by hand is carried forward as edited.
/// </summary>
public sealed class BookContext
{
    private readonly BookBible bible;
    private readonly IReadOnlyList<BookChapter> chapters;

    private BookContext(StoryContext story, BookBible bible, IReadOnlyList<BookChapter> chapters, IReadOnlyList<(BookChapter Planned, ChapterText Text)> earlier)
    {
        Story = story;
        this.bible = bible;
        this.chapters = chapters;
        EarlierChapters = earlier;
    }

    public StoryContext Story { get; }

    /// <summary>Chapters before N that have text on the branch, in reading order.</summary>
    public IReadOnlyList<(BookChapter Planned, ChapterText Text)> EarlierChapters { get; }

    public static async Task<BookContext> LoadAsync(ProjectsBook projects, Manuscript manuscript, GenerationJob job, int chapterNumber, CancellationToken cancellationToken)
    {
        var info = projects.GetInfoAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var bible = projects.GetBibleAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var chapters = projects.GetChaptersAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var characters = projects.GetCharactersAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var world = projects.GetWorldAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var texts = manuscript.ChaptersAtAsync(job.OwnerId, job.ProjectId, job.Head, cancellationToken);
        await Task.WhenAll(info, bible, chapters, characters, world, texts);

        var story = new StoryContext(
            info.Result.Title, bible.Result.Genre ?? info.Result.Genre, bible.Result.Style, bible.Result.Synopsis, info.Result.Language,
            characters.Result.Select(character => new StoryCharacter(
                character.Name, character.Aliases, character.Role, character.Description,
                character.Facts.Where(fact => fact.ValidAt(chapterNumber))
                    .GroupBy(fact => fact.Key).ToDictionary(facts => facts.Key, facts => facts.Last().Value))).ToList(),
            world.Result.Where(entry => entry.Kind is "place" or "location" or "setting")
                .Select(entry => new StoryPlace(entry.Name, entry.Description)).ToList());
        var earlier = chapters.Result.Where(chapter => chapter.Number < chapterNumber).OrderBy(chapter => chapter.Number)
            .Select(chapter => (Planned: chapter, Text: texts.Result.GetValueOrDefault(chapter.Id)))
            .Where(pair => pair.Text is not null)
            .Select(pair => (pair.Planned, pair.Text!))
            .ToList();
        return new BookContext(story, bible.Result, chapters.Result, earlier);
    }

    public BookChapter? Chapter(Guid chapterId) => chapters.FirstOrDefault(chapter => chapter.Id == chapterId);

    public IReadOnlyList<string>? OutlineBeats(int chapterNumber) =>
        bible.Outline?.FirstOrDefault(entry => entry.Chapter == chapterNumber)?.Beats is { Count: > 0 } beats ? beats : null;

    public string? PreviousChapterText(int chapterNumber) =>
        EarlierChapters.LastOrDefault(pair => pair.Planned.Number == chapterNumber - 1).Text?.Text;

    /// <summary>The brief the writer planned in Projects, when it has beats to write from.</summary>
    public ChapterBrief? PlannedBrief(int chapterNumber, int defaultTargetWords)
    {
        var planned = chapters.FirstOrDefault(candidate => candidate.Number == chapterNumber);
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
