using Dapper;
using Folio.Contracts.Versioning;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.Content;
using Folio.Versioning.Api.Features.History;
using Folio.Versioning.Core.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Versioning.Api.Features.Chapters;

public sealed record DraftView(string Text, int ETag, string? BaseCommitId, DateTime UpdatedAt);

public sealed record ChapterContent(Guid ChapterId, string Ref, string? CommitId, string? ContentId, string Text, int Words, DraftView? Draft);

public sealed record SaveChapterRequest(string? Text, string? Branch, string? Mode, string? ExpectedHead, string? Message, AuthorInput? Author, string? LockToken);

public sealed record DraftSaved(int ETag, CommitView? Commit);

public sealed record ChapterRevision(string CommitId, string Kind, Author Author, string Message, DateTimeOffset CreatedAt, string? RestoredFrom, ChapterChange Change);

public sealed record BlameLine(int Block, string Text, string CommitId, string Kind, Author Author, DateTimeOffset CreatedAt);

public sealed record RestoreRequest(string? From, string? Branch, string? ExpectedHead, string? Message, string? LockToken);

/// <summary>
/// A chapter's text at any ref, saves (autosaved drafts, versions, completion), its history and restores.
/// Saving a version carries the branch head it was based on; a draft save carries the draft's ETag in If-Match.
/// </summary>
public static class ChaptersApi
{
    public static IEndpointRouteBuilder MapChaptersApi(this IEndpointRouteBuilder app)
    {
        var chapters = app.MapOwnedProjectGroup("/chapters/{chapterId:guid}", "Chapters");
        chapters.MapGet("/content", GetAsync);
        chapters.MapPut("/content", SaveAsync);
        chapters.MapGet("/history", HistoryAsync);
        chapters.MapPost("/restore", RestoreAsync);
        chapters.MapGet("/blame", BlameAsync);
        return app;
    }

    private static async Task<Ok<ChapterContent>> GetAsync(
        Guid projectId, Guid chapterId, HistoryStore history, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken,
        string @ref = RefNames.MainBranch, bool includeDraft = true)
    {
        var draft = includeDraft ? await FindDraftAsync(db, history, projectId, @ref, chapterId, cancellationToken) : null;
        var commitId = await history.ResolveAsync(projectId, @ref, cancellationToken);
        var committed = commitId is null ? null : await history.ReadChapterAsync(projectId, commitId, chapterId, cancellationToken);
        if (committed is null && draft is null)
        {
            throw ProblemException.NotFound($"Chapter {chapterId} has no text at '{@ref}'.");
        }

        var text = committed?.Text ?? "";
        http.Response.Headers.ETag = draft is null ? $"\"{commitId}\"" : $"\"{draft.ETag}\"";
        var words = committed is { } found ? history.WordsOf(found.ContentId, found.Text) : 0;
        return TypedResults.Ok(new ChapterContent(chapterId, @ref, commitId, committed?.ContentId, text, words, draft));
    }

    private static async Task<Results<Ok<DraftSaved>, Created<CommitView>>> SaveAsync(
        Guid projectId, Guid chapterId, SaveChapterRequest request, HistoryStore history, ContentStore content, NpgsqlDataSource db,
        ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        if (request.Text is null)
        {
            throw ProblemException.BadRequest("text is required.");
        }

        var branch = request.Branch ?? RefNames.MainBranch;
        var (author, actor) = AuthorInput.Resolve(request.Author, user);
        switch (request.Mode ?? "version")
        {
            case "draft":
                return TypedResults.Ok(await SaveDraftAsync(projectId, chapterId, branch, request, author, actor, history, content, db, http, cancellationToken));
            case "version" or "complete":
                var commit = await history.CommitAsync(new CommitRequest(
                    projectId, branch, request.ExpectedHead, [new ChapterEdit(chapterId, request.Text)], author, actor,
                    request.Message ?? (request.Mode == "complete" ? "Chapter marked complete" : "Save"),
                    request.Mode == "complete" ? CommitKinds.Complete : CommitKinds.Save,
                    http.GetCorrelationId(), request.LockToken), cancellationToken);
                return TypedResults.Created($"/api/v1/projects/{projectId}/commits/{commit.Id}", commit);
            default:
                throw ProblemException.BadRequest("mode must be 'draft', 'version' or 'complete'.");
        }
    }

    /// <summary>
    /// Autosaves are not versions, except a major edit: when the draft differs from the last commit by more than the
    /// project's threshold of words (default 30%), it is committed as a version too.
    /// </summary>
    private static async Task<DraftSaved> SaveDraftAsync(
        Guid projectId, Guid chapterId, string branch, SaveChapterRequest request, Author author, Folio.Contracts.Actor actor,
        HistoryStore history, ContentStore content, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        var head = await history.GetBranchHeadAsync(projectId, branch, cancellationToken);
        var ifMatch = http.Request.Headers.IfMatch.ToString().Trim('"');
        int etag;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var current = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
                "SELECT etag FROM drafts WHERE project_id = @projectId AND branch = @branch AND chapter_id = @chapterId FOR UPDATE",
                new { projectId, branch, chapterId }, transaction, cancellationToken: cancellationToken));
            if (current is not null && ifMatch.Length == 0)
            {
                throw ProblemException.PreconditionRequired("This chapter has a draft: send its ETag in If-Match so a newer draft is never overwritten.");
            }

            if (current is not null && ifMatch != "*" && ifMatch != current.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw ProblemException.PreconditionFailed($"The draft changed (ETag {current}): reload it and apply your edit again.");
            }

            var contentId = await content.WriteAsync(transaction, projectId, TextRules.EnsureStorable(request.Text!, chapterId), cancellationToken);
            etag = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                """
                INSERT INTO drafts (project_id, branch, chapter_id, content_id, base_commit_id, updated_by)
                VALUES (@projectId, @branch, @chapterId, @contentId, @head, @updatedBy)
                ON CONFLICT (project_id, branch, chapter_id) DO UPDATE
                    SET content_id = excluded.content_id, base_commit_id = excluded.base_commit_id,
                        etag = drafts.etag + 1, updated_by = excluded.updated_by, updated_at = now()
                RETURNING etag
                """,
                new { projectId, branch, chapterId, contentId, head, updatedBy = author.Id }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        http.Response.Headers.ETag = $"\"{etag}\"";
        var committedText = head is null ? "" : (await history.ReadChapterAsync(projectId, head, chapterId, cancellationToken))?.Text ?? "";
        var threshold = await MajorEditThresholdAsync(db, projectId, cancellationToken);
        if (ProseDiff.Compare(committedText, request.Text!).Stats.PercentChanged <= threshold * 100)
        {
            return new DraftSaved(etag, null);
        }

        try
        {
            var commit = await history.CommitAsync(new CommitRequest(
                projectId, branch, head, [new ChapterEdit(chapterId, request.Text)], author, actor,
                request.Message ?? $"Major edit (more than {threshold:P0} of the words changed)", CommitKinds.MajorEdit,
                http.GetCorrelationId(), request.LockToken), cancellationToken);
            return new DraftSaved(etag, commit);
        }
        catch (ProblemException exception) when (exception.StatusCode is StatusCodes.Status409Conflict or StatusCodes.Status423Locked)
        {
            // The draft is safe; the version is taken at the next save once the branch settles or the lock is released.
            return new DraftSaved(etag, null);
        }
    }

    private static async Task<Ok<IReadOnlyList<ChapterRevision>>> HistoryAsync(
        Guid projectId, Guid chapterId, HistoryStore history, CancellationToken cancellationToken,
        string @ref = RefNames.MainBranch, int limit = 50, DateTimeOffset? before = null)
    {
        var head = await history.ResolveRequiredAsync(projectId, @ref, cancellationToken);
        var commits = await history.LogAsync(projectId, head, chapterId, Math.Clamp(limit, 1, 500), before, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ChapterRevision>>(commits
            .Select(commit => new ChapterRevision(commit.Id, commit.Kind, commit.Author, commit.Message, commit.CreatedAt, commit.RestoredFrom,
                commit.Changes.Single(change => change.ChapterId == chapterId)))
            .ToList());
    }

    private static async Task<Created<CommitView>> RestoreAsync(
        Guid projectId, Guid chapterId, RestoreRequest request, HistoryStore history, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var from = await history.ResolveRequiredAsync(projectId, request.From ?? throw ProblemException.BadRequest("from (a ref or commit) is required."), cancellationToken);
        var restored = await history.ReadChapterAsync(projectId, from, chapterId, cancellationToken)
            ?? throw ProblemException.NotFound($"Chapter {chapterId} is not in the book at {from}.");
        var branch = request.Branch ?? RefNames.MainBranch;
        var (author, actor) = AuthorInput.Resolve(null, user);
        var commit = await history.CommitAsync(new CommitRequest(
            projectId, branch, request.ExpectedHead, [new ChapterEdit(chapterId, null, restored.ContentId)], author, actor,
            request.Message ?? $"Restore chapter from {from[..12]}", CommitKinds.Rollback, http.GetCorrelationId(), request.LockToken,
            RestoredFrom: from,
            FollowUpEvent: commit => new ChapterRolledBack(Guid.CreateVersion7(), commit.CorrelationId ?? Guid.Empty, commit.CreatedAt, actor,
                projectId, branch, chapterId, from, commit.Id)), cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{projectId}/commits/{commit.Id}", commit);
    }

    /// <summary>For each paragraph of the chapter at the ref: the commit, author (human or which agent and model) and date that last changed it.</summary>
    private static async Task<Ok<IReadOnlyList<BlameLine>>> BlameAsync(
        Guid projectId, Guid chapterId, HistoryStore history, CancellationToken cancellationToken, string @ref = RefNames.MainBranch)
    {
        var head = await history.ResolveRequiredAsync(projectId, @ref, cancellationToken);
        var commits = await history.LogAsync(projectId, head, chapterId, 1000, null, cancellationToken);
        if (commits.Count == 0 || commits[0].Changes.Single(change => change.ChapterId == chapterId).ContentId is null)
        {
            throw ProblemException.NotFound($"Chapter {chapterId} has no text at '{@ref}'.");
        }

        var revisions = new List<(CommitView Commit, string Text)>();
        // Revisions thinned by retention have no text any more; blame attributes their lines to the next kept one.
        foreach (var commit in commits.Reverse().Where(commit => commit.PrunedAt is null))
        {
            var contentId = commit.Changes.Single(change => change.ChapterId == chapterId).ContentId;
            revisions.Add((commit, contentId is null ? "" : await history.ReadTextAsync(projectId, contentId, cancellationToken)));
        }

        return TypedResults.Ok<IReadOnlyList<BlameLine>>(Blame.Compute(revisions)
            .Select(entry => new BlameLine(entry.BlockIndex, entry.Text, entry.Revision.Id, entry.Revision.Kind, entry.Revision.Author, entry.Revision.CreatedAt))
            .ToList());
    }

    private static async Task<DraftView?> FindDraftAsync(NpgsqlDataSource db, HistoryStore history, Guid projectId, string branch, Guid chapterId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string ContentId, int ETag, string? BaseCommitId, DateTime UpdatedAt)>(new CommandDefinition(
            "SELECT content_id, etag, base_commit_id, updated_at FROM drafts WHERE project_id = @projectId AND branch = @branch AND chapter_id = @chapterId",
            new { projectId, branch, chapterId }, cancellationToken: cancellationToken));
        return row.ContentId is null ? null : new DraftView(await history.ReadTextAsync(projectId, row.ContentId, cancellationToken), row.ETag, row.BaseCommitId, row.UpdatedAt);
    }

    private static async Task<double> MajorEditThresholdAsync(NpgsqlDataSource db, Guid projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<double?>(new CommandDefinition(
            "SELECT major_edit_threshold FROM repository_settings WHERE project_id = @projectId", new { projectId }, cancellationToken: cancellationToken)) ?? 0.30;
    }
}
