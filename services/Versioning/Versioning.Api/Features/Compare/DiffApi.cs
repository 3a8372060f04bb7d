using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.History;
using Folio.Versioning.Core.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.Versioning.Api.Features.Compare;

public sealed record ChapterDiff(
    Guid ChapterId, string Status, DiffStats Stats, IReadOnlyList<BlockChange>? Blocks, string? Unified, IReadOnlyList<SideBySideRow>? SideBySide);

public sealed record BookDiff(string From, string To, string? FromCommit, string? ToCommit, int UnchangedChapters, DiffTotals Totals, IReadOnlyList<ChapterDiff> Chapters);

public sealed record DiffTotals(int WordsAdded, int WordsRemoved, int ChaptersAdded, int ChaptersRemoved, int ChaptersModified);

/// <summary>Markdown-aware diff between any two refs, for one chapter or the whole book, as JSON blocks, unified text or side-by-side rows.</summary>
public static class DiffApi
{
    public static IEndpointRouteBuilder MapDiffApi(this IEndpointRouteBuilder app)
    {
        app.MapOwnedProjectGroup("", "Diff")
            .MapGet("/diff", DiffAsync);
        return app;
    }

    private static async Task<Ok<BookDiff>> DiffAsync(
        Guid projectId, string from, string to, HistoryStore history, CancellationToken cancellationToken, Guid? chapterId = null, string format = "json")
    {
        if (format is not ("json" or "unified" or "side-by-side"))
        {
            throw ProblemException.BadRequest("format must be json, unified or side-by-side.");
        }

        var fromCommit = await history.ResolveRequiredAsync(projectId, from, cancellationToken);
        var toCommit = await history.ResolveRequiredAsync(projectId, to, cancellationToken);
        var oldTree = await history.GetTreeAsync(projectId, fromCommit, cancellationToken);
        var newTree = await history.GetTreeAsync(projectId, toCommit, cancellationToken);

        var chapterIds = newTree.Chapters.Select(entry => entry.ChapterId)
            .Concat(oldTree.Chapters.Select(entry => entry.ChapterId))
            .Distinct()
            .Where(id => chapterId is null || id == chapterId)
            .ToList();
        if (chapterId is not null && chapterIds.Count == 0)
        {
            throw ProblemException.NotFound($"Chapter {chapterId} is in neither '{from}' nor '{to}'.");
        }

        var chapters = new List<ChapterDiff>();
        var unchanged = 0;
        foreach (var id in chapterIds)
        {
            var (oldId, newId) = (oldTree.Find(id), newTree.Find(id));
            if (oldId == newId)
            {
                unchanged++;
                continue;
            }

            var oldText = oldId is null ? "" : await history.ReadTextAsync(projectId, oldId, cancellationToken);
            var newText = newId is null ? "" : await history.ReadTextAsync(projectId, newId, cancellationToken);
            var diff = ProseDiff.Compare(oldText, newText);
            chapters.Add(new ChapterDiff(
                id,
                oldId is null ? "added" : newId is null ? "removed" : "modified",
                diff.Stats,
                format == "json" ? diff.Blocks : null,
                format == "unified" ? diff.ToUnified($"{from}:{id}", $"{to}:{id}") : null,
                format == "side-by-side" ? diff.ToSideBySide() : null));
        }

        var totals = new DiffTotals(
            chapters.Sum(chapter => chapter.Stats.WordsAdded),
            chapters.Sum(chapter => chapter.Stats.WordsRemoved),
            chapters.Count(chapter => chapter.Status == "added"),
            chapters.Count(chapter => chapter.Status == "removed"),
            chapters.Count(chapter => chapter.Status == "modified"));
        return TypedResults.Ok(new BookDiff(from, to, fromCommit, toCommit, unchanged, totals, chapters));
    }
}
