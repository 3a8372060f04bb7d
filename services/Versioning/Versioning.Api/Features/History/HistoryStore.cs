using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Folio.Contracts;
using Folio.Contracts.Versioning;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.Versioning.Api.Features.Content;
using Folio.Versioning.Core.Storage;
using Folio.Versioning.Core.Text;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace Folio.Versioning.Api.Features.History;

/// <summary>New text for a chapter, or an existing content id (restores), or neither to remove the chapter.</summary>
public sealed record ChapterEdit(Guid ChapterId, string? Text, string? ContentId = null);

/// <summary>Bring back chapters (the whole book when <see cref="ChapterIds"/> is null) as they were at <see cref="From"/>; null means before the first commit.</summary>
public sealed record RestoreCommand(
    Guid ProjectId,
    string Branch,
    string? From,
    IReadOnlyList<Guid>? ChapterIds,
    string? ExpectedHead,
    Author Author,
    Actor Actor,
    string Message,
    Guid CorrelationId,
    string? LockToken = null,
    string? IdempotencyKey = null);

public sealed record CommitRequest(
    Guid ProjectId,
    string Branch,
    string? ExpectedHead,
    IReadOnlyList<ChapterEdit> Edits,
    Author Author,
    Actor Actor,
    string Message,
    string Kind,
    Guid CorrelationId,
    string? LockToken = null,
    IReadOnlyList<Guid>? ChapterOrder = null,
    string? RestoredFrom = null,
    string? MergedCommit = null,
    Func<CommitView, IIntegrationMessage>? FollowUpEvent = null,
    string? IdempotencyKey = null);

/// <summary>
/// Commits, trees and refs of every book. A commit is written in one transaction with its content, the branch
/// move and the <see cref="ChapterRevisionCommitted"/> event; the branch row is locked first, so of many writers
/// with the same expected head exactly one wins and the others get 409 with nothing written.
/// </summary>
public sealed class HistoryStore(NpgsqlDataSource db, ContentStore content, IOutbox outbox, IMemoryCache cache)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string SelectCommit =
        """
        SELECT id AS Id, tree_id AS TreeId, parents AS Parents, kind AS Kind, author_kind AS AuthorKind, author_id AS AuthorId,
               author_name AS AuthorName, agent::text AS Agent, message AS Message, correlation_id AS CorrelationId,
               restored_from AS RestoredFrom, changes::text AS Changes, created_at AS CreatedAt, pruned_at AS PrunedAt
        FROM commits
        """;

    /// <summary>A branch name, a version tag (v1.2) or a commit id (full, or a unique prefix of at least 7 characters).</summary>
    public async Task<string?> ResolveAsync(Guid projectId, string reference, CancellationToken cancellationToken)
    {
        if (reference.Length == 64 && cache.TryGetValue(("commit", projectId, reference), out _))
        {
            return reference;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            """
            SELECT commit_id FROM (
                SELECT head_commit_id AS commit_id, 1 AS rank FROM branches WHERE project_id = @projectId AND name = @reference
                UNION ALL
                SELECT commit_id, 2 FROM versions WHERE project_id = @projectId AND name = @reference
                UNION ALL
                SELECT id, 3 FROM commits
                WHERE project_id = @projectId AND length(@reference) >= 7 AND id LIKE @reference || '%'
                  AND (SELECT count(*) FROM commits WHERE project_id = @projectId AND id LIKE @reference || '%') = 1
            ) refs
            ORDER BY rank
            LIMIT 1
            """,
            new { projectId, reference }, cancellationToken: cancellationToken));
    }

    public async Task<string> ResolveRequiredAsync(Guid projectId, string reference, CancellationToken cancellationToken) =>
        await ResolveAsync(projectId, reference, cancellationToken)
            ?? throw ProblemException.NotFound($"'{reference}' is not a branch with commits, a version or a commit of this book.");

    public async Task<bool> BranchExistsAsync(Guid projectId, string branch, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM branches WHERE project_id = @projectId AND name = @branch)",
            new { projectId, branch }, cancellationToken: cancellationToken));
    }

    public async Task<string?> GetBranchHeadAsync(Guid projectId, string branch, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Name, string? Head)>(new CommandDefinition(
            "SELECT name, head_commit_id FROM branches WHERE project_id = @projectId AND name = @branch",
            new { projectId, branch }, cancellationToken: cancellationToken));
        return row.Name is null ? throw ProblemException.NotFound($"Branch '{branch}' does not exist.") : row.Head;
    }

    /// <summary>Commits are immutable, so once read they are served from memory.</summary>
    public async Task<CommitView> GetCommitAsync(Guid projectId, string commitId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(("commit", projectId, commitId), out CommitView? cached))
        {
            return cached!;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CommitRow>(new CommandDefinition(
            SelectCommit + " WHERE project_id = @projectId AND id = @commitId", new { projectId, commitId }, cancellationToken: cancellationToken));
        return Remember(projectId, row?.ToView() ?? throw ProblemException.NotFound($"Commit {commitId} does not exist."));
    }

    // Bounded so a commit pruned by retention on another instance stops being served well within the GC grace period.
    private CommitView Remember(Guid projectId, CommitView commit) =>
        cache.Set(("commit", projectId, commit.Id), commit, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });

    /// <summary>Retention pruned these commits: stop serving them from memory.</summary>
    public void Forget(Guid projectId, IEnumerable<string> commitIds)
    {
        foreach (var commitId in commitIds)
        {
            cache.Remove(("commit", projectId, commitId));
        }
    }

    public async Task<BookTree> GetTreeAsync(Guid projectId, string? commitId, CancellationToken cancellationToken)
    {
        if (commitId is null)
        {
            return BookTree.Empty;
        }

        var commit = await GetCommitAsync(projectId, commitId, cancellationToken);
        if (commit.PrunedAt is { } prunedAt)
        {
            throw ProblemException.Gone($"The texts of commit {commitId} were thinned by the retention policy on {prunedAt:u}; its place in the history is kept.");
        }

        return await ReadTreeAsync(projectId, commit.TreeId, cancellationToken);
    }

    public Task<string> ReadTextAsync(Guid projectId, string contentId, CancellationToken cancellationToken) =>
        content.ReadAsync(projectId, contentId, cancellationToken);

    /// <summary>A text's word count never changes, so it is counted once.</summary>
    public int WordsOf(string contentId, string text) =>
        cache.GetOrCreate(("words", contentId), entry =>
        {
            entry.Size = 1;
            return WordCount.Count(text);
        });

    /// <summary>The chapter's text at a commit, or null when the chapter is not in the book there.</summary>
    public async Task<(string ContentId, string Text)?> ReadChapterAsync(Guid projectId, string commitId, Guid chapterId, CancellationToken cancellationToken)
    {
        var contentId = (await GetTreeAsync(projectId, commitId, cancellationToken)).Find(chapterId);
        return contentId is null ? null : (contentId, await content.ReadAsync(projectId, contentId, cancellationToken));
    }

    /// <summary>Commits reachable from <paramref name="headCommitId"/>, newest first; with a chapter, only those that changed it.</summary>
    public async Task<IReadOnlyList<CommitView>> LogAsync(
        Guid projectId, string headCommitId, Guid? chapterId, int limit, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CommitRow>(new CommandDefinition(
            $"""
            WITH RECURSIVE reachable(id) AS (
                SELECT @headCommitId::text
                UNION
                SELECT unnest(c.parents) FROM commits c JOIN reachable r ON c.project_id = @projectId AND c.id = r.id
            )
            {SelectCommit}
            WHERE project_id = @projectId AND id IN (SELECT id FROM reachable)
              AND (@chapter::text IS NULL OR changes @> jsonb_build_array(jsonb_build_object('chapterId', @chapter::text)))
              AND (@before::timestamptz IS NULL OR created_at < @before)
            ORDER BY created_at DESC, id
            LIMIT @limit
            """,
            new { projectId, headCommitId, chapter = chapterId?.ToString(), before, limit },
            cancellationToken: cancellationToken));
        return rows.Select(row => row.ToView()).ToList();
    }

    /// <summary>Every commit of the book, pruned ones included (marked), oldest first.</summary>
    public async Task<IReadOnlyList<CommitView>> AllCommitsAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CommitRow>(new CommandDefinition(
            $"{SelectCommit} WHERE project_id = @projectId ORDER BY created_at, id", new { projectId }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToView()).ToList();
    }

    public async Task<CommitView> CommitAsync(CommitRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One round trip, in this order: the branch row lock serialises commits on the branch, so the idempotency
        // lookup after it always sees the first attempt's commit.
        var (branch, earlier, held) = await ReadBranchAsync(connection, transaction, request, cancellationToken);
        if (branch.Name is null)
        {
            throw ProblemException.NotFound($"Branch '{request.Branch}' does not exist.");
        }

        if (earlier is not null)
        {
            return await GetCommitAsync(request.ProjectId, earlier, cancellationToken);
        }

        if (branch.Head != request.ExpectedHead)
        {
            throw ProblemException.Conflict(
                $"Branch '{request.Branch}' is at {branch.Head ?? "no commit"}, not at the expected {request.ExpectedHead ?? "no commit"}: reload and apply your change again.");
        }

        if (held.Holder is not null && (!Guid.TryParse(request.LockToken, out var token) || token != held.Token))
        {
            throw ProblemException.Locked($"Branch '{request.Branch}' is locked by {held.Holder}; only the lock holder can commit until it is released or expires.");
        }

        var parentTree = await GetTreeAsync(request.ProjectId, branch.Head, cancellationToken);
        var tree = parentTree;
        var changes = new List<ChapterChange>();
        var written = new Dictionary<string, string>();
        var stored = new List<ChunkedText>();
        foreach (var edit in request.Edits)
        {
            var oldContentId = parentTree.Find(edit.ChapterId);
            var newContentId = edit.ContentId;
            if (edit is { ContentId: null, Text: not null })
            {
                var chunked = ChunkedText.From(TextRules.EnsureStorable(edit.Text, edit.ChapterId));
                stored.Add(chunked);
                newContentId = chunked.Id.ToString();
                written[newContentId] = edit.Text;
            }

            if (oldContentId == newContentId)
            {
                continue;
            }

            var oldText = oldContentId is null ? "" : await content.ReadAsync(request.ProjectId, oldContentId, cancellationToken);
            var newText = edit.Text ?? (newContentId is null ? "" : await content.ReadAsync(request.ProjectId, newContentId, cancellationToken));
            changes.Add(Describe(edit.ChapterId, oldContentId, newContentId, oldText, newText));
            tree = tree.With(edit.ChapterId, newContentId);
        }

        if (request.ChapterOrder is { Count: > 0 })
        {
            tree = tree.Reordered(request.ChapterOrder);
        }

        if (changes.Count == 0 && tree.Chapters.SequenceEqual(parentTree.Chapters) && request.MergedCommit is null)
        {
            throw ProblemException.Unprocessable("Nothing to commit: the book is identical to the branch head.");
        }

        var treeText = tree.Serialize();
        var treeChunks = ChunkedText.From(treeText);
        stored.Add(treeChunks);
        var treeId = treeChunks.Id.ToString();
        written[treeId] = treeText;
        var parents = new[] { branch.Head, request.MergedCommit }.OfType<string>().ToArray();
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var commit = new CommitView(
            CommitId(treeId, parents, request, createdAt), treeId, parents, request.Kind, request.Author, request.Message,
            request.CorrelationId, request.RestoredFrom, changes, createdAt);

        // The texts, the commit, the branch's new head, the events and the commit of the transaction in one round trip.
        await using var batch = new NpgsqlBatch(connection, transaction);
        await content.AppendAsync(batch, request.ProjectId, stored, cancellationToken);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO commits (project_id, id, tree_id, parents, kind, author_kind, author_id, author_name, agent, message,
                                 correlation_id, restored_from, changes, created_at, idempotency_key)
            VALUES (@ProjectId, @Id, @TreeId, @Parents, @Kind, @AuthorKind, @AuthorId, @AuthorName, @Agent::jsonb, @Message,
                    @CorrelationId, @RestoredFrom, @Changes::jsonb, @CreatedAt, @IdempotencyKey)
            """)
        {
            Parameters =
            {
                new("ProjectId", request.ProjectId), new("Id", commit.Id), new("TreeId", commit.TreeId), new("Parents", parents),
                new("Kind", commit.Kind), new("AuthorKind", request.Author.Kind), new("AuthorId", request.Author.Id),
                new("AuthorName", (object?)request.Author.Name ?? DBNull.Value),
                new("Agent", request.Author.Agent is null ? DBNull.Value : JsonSerializer.Serialize(request.Author.Agent, Json)),
                new("Message", commit.Message), new("CorrelationId", (object?)commit.CorrelationId ?? DBNull.Value),
                new("RestoredFrom", (object?)commit.RestoredFrom ?? DBNull.Value), new("Changes", JsonSerializer.Serialize(changes, Json)),
                new("CreatedAt", createdAt.UtcDateTime), new("IdempotencyKey", (object?)request.IdempotencyKey ?? DBNull.Value),
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "UPDATE branches SET head_commit_id = @Id, updated_at = @CreatedAt WHERE project_id = @ProjectId AND name = @Branch")
        {
            Parameters = { new("Id", commit.Id), new("CreatedAt", createdAt.UtcDateTime), new("ProjectId", request.ProjectId), new("Branch", request.Branch) },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "DELETE FROM drafts WHERE project_id = @ProjectId AND branch = @Branch AND chapter_id = ANY(@ChangedChapters)")
        {
            Parameters =
            {
                new("ProjectId", request.ProjectId), new("Branch", request.Branch),
                new("ChangedChapters", changes.Select(change => change.ChapterId).ToArray()),
            },
        });
        outbox.Enqueue(batch, new ChapterRevisionCommitted(
            Guid.CreateVersion7(), request.CorrelationId, createdAt, request.Actor, request.ProjectId, request.Branch,
            commit.Id, commit.Kind, changes), request.ProjectId.ToString());
        if (request.FollowUpEvent is not null)
        {
            outbox.Enqueue(batch, request.FollowUpEvent(commit), request.ProjectId.ToString());
        }

        await batch.ExecuteAndCommitAsync(cancellationToken);
        // The next commit on the branch starts from this one, and Continuity reads it at once: neither need go to the database.
        Remember(request.ProjectId, commit);
        cache.Set((request.ProjectId, treeId), tree, new MemoryCacheEntryOptions { Size = 1 });
        content.Remember(request.ProjectId, written);
        return commit;
    }

    /// <summary>A rollback commit: never a rewrite of history. Null when the chapters already are as they were.</summary>
    public async Task<CommitView?> RestoreAsync(RestoreCommand command, CancellationToken cancellationToken)
    {
        var target = await GetTreeAsync(command.ProjectId, command.From, cancellationToken);
        var current = await GetTreeAsync(command.ProjectId, await GetBranchHeadAsync(command.ProjectId, command.Branch, cancellationToken), cancellationToken);
        var chapters = command.ChapterIds ?? target.Chapters.Concat(current.Chapters).Select(entry => entry.ChapterId).Distinct().ToList();
        var edits = chapters
            .Where(chapterId => target.Find(chapterId) != current.Find(chapterId))
            .Select(chapterId => new ChapterEdit(chapterId, null, target.Find(chapterId)))
            .ToList();
        var order = command.ChapterIds is null ? target.Chapters.Select(entry => entry.ChapterId).ToList() : null;
        if (edits.Count == 0 && (order is null || order.SequenceEqual(current.Chapters.Select(entry => entry.ChapterId))) && command.IdempotencyKey is null)
        {
            return null;
        }

        var from = command.From ?? "";
        try
        {
            return await CommitAsync(new CommitRequest(
                command.ProjectId, command.Branch, command.ExpectedHead, edits, command.Author, command.Actor, command.Message,
                CommitKinds.Rollback, command.CorrelationId, command.LockToken, order, command.From,
                FollowUpEvent: commit => new ChapterRolledBack(Guid.CreateVersion7(), command.CorrelationId, commit.CreatedAt, command.Actor,
                    command.ProjectId, command.Branch, command.ChapterIds is [var only] ? only : null, from, commit.Id),
                IdempotencyKey: command.IdempotencyKey), cancellationToken);
        }
        catch (ProblemException exception) when (exception.StatusCode == StatusCodes.Status422UnprocessableEntity && edits.Count == 0)
        {
            return null;
        }
    }

    public async Task<BookTree> ReadTreeAsync(Guid projectId, string treeId, CancellationToken cancellationToken) =>
        await cache.GetOrCreateAsync((projectId, treeId), async entry =>
        {
            entry.Size = 1;
            return BookTree.Parse(await content.ReadAsync(projectId, treeId, cancellationToken));
        }) ?? BookTree.Empty;

    private static async Task<((string? Name, string? Head) Branch, string? Earlier, (string? Holder, Guid Token) Held)> ReadBranchAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CommitRequest request, CancellationToken cancellationToken)
    {
        await using var reads = await connection.QueryMultipleAsync(new CommandDefinition(
            """
            SELECT name, head_commit_id FROM branches WHERE project_id = @ProjectId AND name = @Branch FOR UPDATE;
            SELECT id FROM commits WHERE project_id = @ProjectId AND idempotency_key = @IdempotencyKey;
            SELECT holder, token FROM generation_locks WHERE project_id = @ProjectId AND branch = @Branch AND expires_at > now();
            """,
            request, transaction, cancellationToken: cancellationToken));
        var branch = await reads.ReadSingleOrDefaultAsync<(string? Name, string? Head)>();
        var earlier = await reads.ReadSingleOrDefaultAsync<string?>();
        var held = await reads.ReadSingleOrDefaultAsync<(string? Holder, Guid Token)>();
        return (branch, earlier, held);
    }

    private static ChapterChange Describe(Guid chapterId, string? oldContentId, string? newContentId, string oldText, string newText)
    {
        var stats = ProseDiff.Compare(oldText, newText).Stats;
        var kind = oldContentId is null ? "added" : newContentId is null ? "removed" : "modified";
        return new ChapterChange(
            chapterId, kind, newContentId, WordCount.Count(newText), stats.WordsAdded, stats.WordsRemoved, Math.Round(stats.PercentChanged, 2), newText.EnumerateRunes().Count());
    }

    private static string CommitId(string treeId, IReadOnlyList<string> parents, CommitRequest request, DateTimeOffset createdAt)
    {
        var canonical = new StringBuilder()
            .Append("tree ").Append(treeId).Append('\n')
            .AppendJoin("", parents.Select(parent => $"parent {parent}\n"))
            .Append(CultureInfo.InvariantCulture, $"author {request.Author.Kind} {request.Author.Id} {createdAt.ToUnixTimeMilliseconds()}\n")
            .Append(CultureInfo.InvariantCulture, $"correlation {request.CorrelationId}\n")
            .Append('\n').Append(request.Message);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    private sealed class CommitRow
    {
        public string Id { get; init; } = "";
        public string TreeId { get; init; } = "";
        public string[] Parents { get; init; } = [];
        public string Kind { get; init; } = "";
        public string AuthorKind { get; init; } = "";
        public string AuthorId { get; init; } = "";
        public string? AuthorName { get; init; }
        public string? Agent { get; init; }
        public string Message { get; init; } = "";
        public Guid? CorrelationId { get; init; }
        public string? RestoredFrom { get; init; }
        public string Changes { get; init; } = "[]";
        public DateTime CreatedAt { get; init; }
        public DateTime? PrunedAt { get; init; }

        public CommitView ToView() => new(
            Id, TreeId, Parents, Kind,
            new Author(AuthorKind, AuthorId, AuthorName, Agent is null ? null : JsonSerializer.Deserialize<AgentInfo>(Agent, Json)),
            Message, CorrelationId, RestoredFrom,
            JsonSerializer.Deserialize<List<ChapterChange>>(Changes, Json)!,
            new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)),
            PrunedAt is { } prunedAt ? new DateTimeOffset(DateTime.SpecifyKind(prunedAt, DateTimeKind.Utc)) : null);
    }
}
