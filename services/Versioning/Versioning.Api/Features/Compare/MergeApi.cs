using Folio.Contracts.Versioning;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.History;
using Folio.Versioning.Core.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.Versioning.Api.Features.Compare;

public sealed record ConflictChoice(ConflictResolution Choice, string? Text);

public sealed record MergeRequest(
    string? Source, string? Target, string? ExpectedTargetHead, string? ExpectedSourceHead, string? Message, string? LockToken,
    IReadOnlyDictionary<Guid, IReadOnlyDictionary<int, ConflictChoice>>? Resolutions);

public sealed record ChapterConflicts(Guid ChapterId, IReadOnlyList<MergeConflict> Conflicts);

/// <summary>
/// Three-way merge of one branch into another, chapter by chapter: a chapter changed on one side only takes that
/// side; changed on both, its text is merged at paragraph level (words inside a paragraph both sides edited).
/// Clean merges commit with two parents; conflicts come back as 409 with base/ours/theirs per block, and the same
/// call with <c>resolutions</c> (keyed by chapter and conflict index) commits the resolved book.
/// </summary>
public static class MergeApi
{
    public static IEndpointRouteBuilder MapMergeApi(this IEndpointRouteBuilder app)
    {
        app.MapOwnedProjectGroup("", "Merge")
            .MapPost("/merges", MergeAsync);
        return app;
    }

    private static async Task<Results<Created<CommitView>, ProblemHttpResult>> MergeAsync(
        Guid projectId, MergeRequest request, HistoryStore history, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var sourceBranch = request.Source ?? throw ProblemException.BadRequest("source (the branch to merge) is required.");
        var targetBranch = request.Target ?? RefNames.MainBranch;
        var source = await history.GetBranchHeadAsync(projectId, sourceBranch, cancellationToken)
            ?? throw ProblemException.Unprocessable($"Branch '{sourceBranch}' has no commits to merge.");
        var target = await history.GetBranchHeadAsync(projectId, targetBranch, cancellationToken);
        if (target != request.ExpectedTargetHead)
        {
            throw ProblemException.Conflict($"Branch '{targetBranch}' is at {target ?? "no commit"}, not at the expected {request.ExpectedTargetHead ?? "no commit"}.");
        }

        if (request.ExpectedSourceHead is not null && request.ExpectedSourceHead != source)
        {
            throw ProblemException.Conflict($"Branch '{sourceBranch}' moved to {source} since the conflicts were computed: merge again.");
        }

        var mergeBase = await MergeBaseAsync(history, projectId, target, source, cancellationToken);
        if (mergeBase == source)
        {
            throw ProblemException.Unprocessable($"'{targetBranch}' already contains everything in '{sourceBranch}'.");
        }

        var baseTree = await history.GetTreeAsync(projectId, mergeBase, cancellationToken);
        var ours = await history.GetTreeAsync(projectId, target, cancellationToken);
        var theirs = await history.GetTreeAsync(projectId, source, cancellationToken);

        var edits = new List<ChapterEdit>();
        var conflicts = new List<ChapterConflicts>();
        var resolved = 0;
        foreach (var chapterId in ours.Chapters.Concat(theirs.Chapters).Select(entry => entry.ChapterId).Distinct())
        {
            var (b, o, t) = (baseTree.Find(chapterId), ours.Find(chapterId), theirs.Find(chapterId));
            if (o == t || b == t)
            {
                continue;
            }

            if (b == o)
            {
                edits.Add(new ChapterEdit(chapterId, null, t));
                continue;
            }

            var merge = ThreeWayMerge.Merge(
                await TextAsync(history, projectId, b, cancellationToken),
                await TextAsync(history, projectId, o, cancellationToken),
                await TextAsync(history, projectId, t, cancellationToken));
            if (merge.IsClean)
            {
                edits.Add(new ChapterEdit(chapterId, merge.MergedText));
            }
            else if (request.Resolutions?.GetValueOrDefault(chapterId) is { } choices)
            {
                try
                {
                    edits.Add(new ChapterEdit(chapterId, merge.Resolve(choices.ToDictionary(pair => pair.Key, pair => (pair.Value.Choice, pair.Value.Text)))));
                    resolved += merge.Conflicts.Count;
                }
                catch (ArgumentException exception)
                {
                    throw ProblemException.BadRequest($"Chapter {chapterId}: {exception.Message}");
                }
            }
            else
            {
                conflicts.Add(new ChapterConflicts(chapterId, merge.Conflicts));
            }
        }

        if (conflicts.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Merge conflicts",
                detail: $"{conflicts.Sum(chapter => chapter.Conflicts.Count)} conflicting passages in {conflicts.Count} chapters: send resolutions to commit the merge.",
                extensions: new Dictionary<string, object?>
                {
                    ["baseCommit"] = mergeBase,
                    ["sourceHead"] = source,
                    ["targetHead"] = target,
                    ["conflicts"] = conflicts,
                });
        }

        var (author, actor) = AuthorInput.Resolve(null, user);
        var order = ours.Chapters.Select(entry => entry.ChapterId)
            .Concat(theirs.Chapters.Select(entry => entry.ChapterId).Where(id => ours.Find(id) is null))
            .ToList();
        var commit = await history.CommitAsync(new CommitRequest(
            projectId, targetBranch, target, edits, author, actor, request.Message ?? $"Merge '{sourceBranch}' into '{targetBranch}'",
            CommitKinds.Merge, http.GetCorrelationId(), request.LockToken, order, MergedCommit: source,
            FollowUpEvent: commit => new MergeCompleted(Guid.CreateVersion7(), commit.CorrelationId ?? Guid.Empty, commit.CreatedAt, actor,
                projectId, sourceBranch, targetBranch, commit.Id, resolved)), cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{projectId}/commits/{commit.Id}", commit);
    }

    private static async Task<string> TextAsync(HistoryStore history, Guid projectId, string? contentId, CancellationToken cancellationToken) =>
        contentId is null ? "" : await history.ReadTextAsync(projectId, contentId, cancellationToken);

    /// <summary>The nearest commit reachable from both heads (breadth-first from the target).</summary>
    private static async Task<string?> MergeBaseAsync(HistoryStore history, Guid projectId, string? target, string source, CancellationToken cancellationToken)
    {
        if (target is null)
        {
            return null;
        }

        var sourceAncestors = (await history.LogAsync(projectId, source, null, int.MaxValue, null, cancellationToken)).Select(commit => commit.Id).ToHashSet();
        var queue = new Queue<string>([target]);
        var seen = new HashSet<string>();
        while (queue.TryDequeue(out var commitId))
        {
            if (!seen.Add(commitId))
            {
                continue;
            }

            if (sourceAncestors.Contains(commitId))
            {
                return commitId;
            }

            foreach (var parent in (await history.GetCommitAsync(projectId, commitId, cancellationToken)).Parents)
            {
                queue.Enqueue(parent);
            }
        }

        return null;
    }
}
