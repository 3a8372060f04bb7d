using Folio.Contracts.Versioning;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.History;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.Versioning.Api.Features.Commits;

public sealed record ChapterEditInput(Guid ChapterId, string? Text, bool Remove);

public sealed record CreateCommitRequest(
    string? Branch, string? ExpectedHead, string? Message, IReadOnlyList<ChapterEditInput>? Changes, IReadOnlyList<Guid>? ChapterOrder,
    AuthorInput? Author, string? LockToken, Guid? CorrelationId);

public sealed record GraphNode(string Id, IReadOnlyList<string> Parents, string Kind, string AuthorKind, string Message, DateTimeOffset CreatedAt, IReadOnlyList<string> Refs);

/// <summary>Commits of several chapters at once (what Generation and imports use), the log and the commit graph, and whole-book restore.</summary>
public static class CommitsApi
{
    public static IEndpointRouteBuilder MapCommitsApi(this IEndpointRouteBuilder app)
    {
        var project = app.MapOwnedProjectGroup("", "Commits");
        project.MapPost("/commits", CreateAsync);
        project.MapGet("/commits/{commitId}", GetAsync);
        project.MapGet("/log", LogAsync);
        project.MapPost("/restore", RestoreBookAsync);
        return app;
    }

    private static async Task<Created<CommitView>> CreateAsync(
        Guid projectId, CreateCommitRequest request, HistoryStore history, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        if (request.Changes is not { Count: > 0 } && request.ChapterOrder is not { Count: > 0 })
        {
            throw ProblemException.BadRequest("changes (or chapterOrder) must not be empty.");
        }

        var edits = (request.Changes ?? []).Select(change => change switch
        {
            { Remove: true } => new ChapterEdit(change.ChapterId, null),
            { Text: { } text } => new ChapterEdit(change.ChapterId, text),
            _ => throw ProblemException.BadRequest($"Change of chapter {change.ChapterId} needs text, or remove: true."),
        }).ToList();
        if (edits.Select(edit => edit.ChapterId).Distinct().Count() != edits.Count)
        {
            throw ProblemException.BadRequest("Each chapter may appear once in changes.");
        }

        var (author, actor) = AuthorInput.Resolve(request.Author, user);
        var commit = await history.CommitAsync(new CommitRequest(
            projectId, request.Branch ?? RefNames.MainBranch, request.ExpectedHead, edits, author, actor,
            string.IsNullOrWhiteSpace(request.Message) ? "Save" : request.Message, CommitKinds.Save,
            request.CorrelationId ?? http.GetCorrelationId(), request.LockToken, request.ChapterOrder), cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{projectId}/commits/{commit.Id}", commit);
    }

    private static async Task<Ok<CommitView>> GetAsync(Guid projectId, string commitId, HistoryStore history, CancellationToken cancellationToken) =>
        TypedResults.Ok(await history.GetCommitAsync(projectId, await history.ResolveRequiredAsync(projectId, commitId, cancellationToken), cancellationToken));

    private static async Task<Ok<IReadOnlyList<CommitView>>> LogAsync(
        Guid projectId, HistoryStore history, CancellationToken cancellationToken,
        string @ref = RefNames.MainBranch, Guid? chapterId = null, int limit = 50, DateTimeOffset? before = null)
    {
        var head = await history.ResolveRequiredAsync(projectId, @ref, cancellationToken);
        return TypedResults.Ok(await history.LogAsync(projectId, head, chapterId, Math.Clamp(limit, 1, 500), before, cancellationToken));
    }

    private static async Task<Results<Created<CommitView>, NoContent>> RestoreBookAsync(
        Guid projectId, Chapters.RestoreRequest request, HistoryStore history, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var from = await history.ResolveRequiredAsync(projectId, request.From ?? throw ProblemException.BadRequest("from (a ref or commit) is required."), cancellationToken);
        var (author, actor) = AuthorInput.Resolve(null, user);
        var commit = await history.RestoreAsync(new RestoreCommand(
            projectId, request.Branch ?? RefNames.MainBranch, from, null, request.ExpectedHead, author, actor,
            request.Message ?? $"Restore the book from {from[..12]}", http.GetCorrelationId(), request.LockToken), cancellationToken);
        return commit is null ? TypedResults.NoContent() : TypedResults.Created($"/api/v1/projects/{projectId}/commits/{commit.Id}", commit);
    }
}
