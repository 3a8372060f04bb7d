using Dapper;
using Folio.Generation.Api.Features.Books;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// What the steps read about a book, with the reads a job repeats kept in this process. A commit's manifest and a
/// content's text are addressed by hash and never change, so they are kept as long as there is room, and the job's own
/// commits add theirs without asking. The plan is read from Projects when a job first needs it and again only after
/// Projects announced a change to it (<c>books.plan_revision</c>, asked once per chapter), so a bible edit during a job
/// reaches the next chapter.
/// A restarted or second replica simply reads again.
/// </summary>
public sealed class BookSource(NpgsqlDataSource db, ProjectsBook projects, Manuscript manuscript, IMemoryCache cache)
{
    /// <summary>A plan is read again after this long even without a change announced, in case an announcement was lost.</summary>
    private static readonly TimeSpan PlanLifetime = TimeSpan.FromMinutes(10);

    /// <param name="CheckedFor">The latest chapter whose steps have asked whether the plan changed.</param>
    private sealed record RevisedPlan(long Revision, BookPlan Plan, int CheckedFor, DateTimeOffset ReadAt)
    {
        public MemoryCacheEntryOptions Entry => new() { Size = 1_000 + (Plan.Chapters.Count * 100), AbsoluteExpiration = ReadAt + PlanLifetime };
    }

    public async Task<BookContext> LoadAsync(GenerationJob job, int chapterNumber, CancellationToken cancellationToken)
    {
        var plan = PlanAsync(job, chapterNumber, cancellationToken);
        var manifest = ManifestAsync(job, cancellationToken);
        return new BookContext(await plan, await manifest, chapterNumber);
    }

    /// <summary>The texts of the given contents of the job's book, by content id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> TextsAsync(GenerationJob job, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<string, string>();
        var missing = new List<string>();
        foreach (var contentId in contentIds.Distinct())
        {
            if (cache.TryGetValue(("text", job.ProjectId, contentId), out string? text))
            {
                texts[contentId] = text!;
            }
            else
            {
                missing.Add(contentId);
            }
        }

        foreach (var (contentId, text) in await manuscript.ContentsAsync(job.OwnerId, job.ProjectId, missing, cancellationToken))
        {
            cache.Set(("text", job.ProjectId, contentId), text, new MemoryCacheEntryOptions { Size = Math.Max(1, text.Length) });
            texts[contentId] = text;
        }

        return texts;
    }

    /// <summary>The chapter's text at the job's head, or null where the branch has none.</summary>
    public async Task<string?> TextAtHeadAsync(GenerationJob job, Guid chapterId, CancellationToken cancellationToken)
    {
        var contentId = (await ManifestAsync(job, cancellationToken)).FirstOrDefault(chapter => chapter.ChapterId == chapterId)?.ContentId;
        return contentId is null ? null : (await TextsAsync(job, [contentId], cancellationToken))[contentId];
    }

    /// <summary>
    /// What the job's commit of <paramref name="text"/> as <paramref name="contentId"/> makes known: the text, and the new
    /// head's manifest, which is the old head's with that one chapter changed (the commit was made on the old head).
    /// </summary>
    public void Committed(GenerationJob job, string head, Guid chapterId, string contentId, string text)
    {
        cache.Set(("text", job.ProjectId, contentId), text, new MemoryCacheEntryOptions { Size = Math.Max(1, text.Length) });
        IReadOnlyList<ChapterContent>? before = [];
        if (job.Head is null || cache.TryGetValue(("manifest", job.ProjectId, job.Head), out before))
        {
            var after = before!.Where(chapter => chapter.ChapterId != chapterId).Append(new ChapterContent(chapterId, contentId)).ToList();
            cache.Set(("manifest", job.ProjectId, head), (IReadOnlyList<ChapterContent>)after, new MemoryCacheEntryOptions { Size = 100 + (after.Count * 100) });
        }
    }

    /// <summary>Whether the plan changed is asked once per chapter, when the chapter's steps first need it.</summary>
    private async Task<BookPlan> PlanAsync(GenerationJob job, int chapterNumber, CancellationToken cancellationToken)
    {
        var key = ("plan", job.CorrelationId);
        if (cache.TryGetValue(key, out RevisedPlan? checkedAlready) && checkedAlready!.CheckedFor >= chapterNumber)
        {
            return checkedAlready.Plan;
        }

        long? revision;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            revision = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT plan_revision FROM books WHERE project_id = @ProjectId", new { job.ProjectId }, cancellationToken: cancellationToken));
        }

        if (revision is not null && checkedAlready?.Revision == revision)
        {
            var confirmed = checkedAlready with { CheckedFor = chapterNumber };
            cache.Set(key, confirmed, confirmed.Entry);
            return checkedAlready.Plan;
        }

        var info = projects.GetInfoAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var bible = projects.GetBibleAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var chapters = projects.GetChaptersAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var characters = projects.GetCharactersAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var world = projects.GetWorldAsync(job.OwnerId, job.ProjectId, cancellationToken);
        var plan = new BookPlan(await info, await bible, await chapters, await characters, await world);
        var read = new RevisedPlan(revision ?? -1, plan, chapterNumber, DateTimeOffset.UtcNow);
        cache.Set(key, read, read.Entry);
        return plan;
    }

    private async Task<IReadOnlyList<ChapterContent>> ManifestAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        if (job.Head is null)
        {
            return [];
        }

        if (cache.TryGetValue(("manifest", job.ProjectId, job.Head), out IReadOnlyList<ChapterContent>? cached))
        {
            return cached!;
        }

        var manifest = await manuscript.ManifestAtAsync(job.OwnerId, job.ProjectId, job.Head, cancellationToken);
        cache.Set(("manifest", job.ProjectId, job.Head), manifest, new MemoryCacheEntryOptions { Size = 100 + (manifest.Count * 100) });
        return manifest;
    }
}
