using System.Text.Json;
using ChapterEdit = Folio.Versioning.Api.Features.History.ChapterEdit;
using CommitRequest = Folio.Contracts.Grpc.Versioning.CommitRequest;
using Folio.Contracts.Grpc.Versioning;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.History;
using GenerationLocks = Folio.Versioning.Api.Features.Locks.GenerationLocks;
using LockView = Folio.Versioning.Api.Features.Locks.LockView;
using Folio.Versioning.Core.Text;

namespace Folio.Versioning.Api.Features.Manuscripts;

/// <summary><c>folio.versioning.v1.Manuscripts</c>: the manuscript for other services, as the calling user.</summary>
public static class ManuscriptsGrpc
{
    private static readonly Google.Protobuf.Reflection.FileDescriptor File = VersioningReflection.Descriptor;

    public static readonly GrpcMethod<ResolveRefRequest, ResolvedRef> ResolveRef = GrpcMethod.Unary<ResolveRefRequest, ResolvedRef>(File, "Manuscripts", "ResolveRef");
    public static readonly GrpcMethod<GetChapterRequest, ChapterText> GetChapter = GrpcMethod.Unary<GetChapterRequest, ChapterText>(File, "Manuscripts", "GetChapter");
    public static readonly GrpcMethod<SnapshotRequest, ChapterText> StreamSnapshot = GrpcMethod.ServerStreaming<SnapshotRequest, ChapterText>(File, "Manuscripts", "StreamSnapshot");
    public static readonly GrpcMethod<CommitRequest, CommitReply> Commit = GrpcMethod.Unary<CommitRequest, CommitReply>(File, "Manuscripts", "Commit");
    public static readonly GrpcMethod<DiffRequest, DiffReply> Diff = GrpcMethod.Unary<DiffRequest, DiffReply>(File, "Manuscripts", "Diff");
    public static readonly GrpcMethod<AcquireLockRequest, BranchLock> AcquireLock = GrpcMethod.Unary<AcquireLockRequest, BranchLock>(File, "Manuscripts", "AcquireLock");
    public static readonly GrpcMethod<RenewLockRequest, BranchLock> RenewLock = GrpcMethod.Unary<RenewLockRequest, BranchLock>(File, "Manuscripts", "RenewLock");
    public static readonly GrpcMethod<ReleaseLockRequest, ReleaseLockReply> ReleaseLock = GrpcMethod.Unary<ReleaseLockRequest, ReleaseLockReply>(File, "Manuscripts", "ReleaseLock");
    public static readonly GrpcMethod<RestoreRequest, CommitReply> Restore = GrpcMethod.Unary<RestoreRequest, CommitReply>(File, "Manuscripts", "Restore");
    public static readonly GrpcMethod<HistoryRequest, HistoryCommit> StreamHistory = GrpcMethod.ServerStreaming<HistoryRequest, HistoryCommit>(File, "Manuscripts", "StreamHistory");
    public static readonly GrpcMethod<HistoryRequest, VersionTag> ListVersions = GrpcMethod.ServerStreaming<HistoryRequest, VersionTag>(File, "Manuscripts", "ListVersions");
    public static readonly GrpcMethod<ContentsRequest, ContentText> StreamContents = GrpcMethod.ServerStreaming<ContentsRequest, ContentText>(File, "Manuscripts", "StreamContents");
    public static readonly GrpcMethod<CreateBranchRequest, Branch> CreateBranch = GrpcMethod.Unary<CreateBranchRequest, Branch>(File, "Manuscripts", "CreateBranch");
    public static readonly GrpcMethod<CreateVersionRequest, VersionTag> CreateVersion = GrpcMethod.Unary<CreateVersionRequest, VersionTag>(File, "Manuscripts", "CreateVersion");

    public static IEndpointRouteBuilder MapManuscriptsGrpc(this IEndpointRouteBuilder app)
    {
        app.MapGrpcUnary(ResolveRef, async (request, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            return new ResolvedRef { CommitId = await history.ResolveRequiredAsync(projectId, Required(request.Ref, "ref"), call.CancellationToken) };
        });

        app.MapGrpcUnary(GetChapter, async (request, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            var commitId = await history.ResolveRequiredAsync(projectId, Required(request.Ref, "ref"), call.CancellationToken);
            var chapterId = ParseId(request.ChapterId, "chapter_id");
            var tree = await history.GetTreeAsync(projectId, commitId, call.CancellationToken);
            var contentId = tree.Find(chapterId) ?? throw ProblemException.NotFound($"Chapter {chapterId} is not in the book at {commitId}.");
            var text = await history.ReadTextAsync(projectId, contentId, call.CancellationToken);
            return ToMessage(chapterId, contentId, text, tree.Chapters.ToList().FindIndex(entry => entry.ChapterId == chapterId), commitId);
        });

        app.MapGrpcServerStreaming(StreamSnapshot, async (request, stream, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            var commitId = await history.ResolveRequiredAsync(projectId, Required(request.Ref, "ref"), call.CancellationToken);
            var tree = await history.GetTreeAsync(projectId, commitId, call.CancellationToken);
            for (var position = 0; position < tree.Chapters.Count; position++)
            {
                var entry = tree.Chapters[position];
                await stream.WriteAsync(request.WithoutText
                    ? new ChapterText { ChapterId = entry.ChapterId.ToString(), ContentId = entry.ContentId, Position = position, CommitId = commitId }
                    : ToMessage(entry.ChapterId, entry.ContentId, await history.ReadTextAsync(projectId, entry.ContentId, call.CancellationToken), position, commitId));
            }
        });

        app.MapGrpcUnary(Commit, async (request, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            var user = call.HttpContext.RequestServices.GetRequiredService<ICurrentUser>();
            var (author, actor) = AuthorOf(request.Agent, user);
            var edits = request.Changes.Select(change => new ChapterEdit(ParseId(change.ChapterId, "chapter_id"), change.Remove ? null : change.Text)).ToList();
            var commit = await history.CommitAsync(new History.CommitRequest(
                projectId, string.IsNullOrEmpty(request.Branch) ? RefNames.MainBranch : request.Branch,
                OrNull(request.ExpectedHead), edits, author, actor,
                string.IsNullOrWhiteSpace(request.Message) ? "Save" : request.Message, CommitKinds.Save,
                CorrelationOf(request.CorrelationId, call), OrNull(request.LockToken), IdempotencyKey: OrNull(request.IdempotencyKey)), call.CancellationToken);
            return ToReply(commit);
        });

        app.MapGrpcUnary(Restore, async (request, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            var (author, actor) = AuthorOf(request.Agent, call.HttpContext.RequestServices.GetRequiredService<ICurrentUser>());
            var from = string.IsNullOrEmpty(request.From) ? null : await history.ResolveRequiredAsync(projectId, request.From, call.CancellationToken);
            var commit = await history.RestoreAsync(new RestoreCommand(
                projectId, string.IsNullOrEmpty(request.Branch) ? RefNames.MainBranch : request.Branch, from,
                request.ChapterIds.Count == 0 ? null : request.ChapterIds.Select(id => ParseId(id, "chapter_ids")).ToList(),
                OrNull(request.ExpectedHead), author, actor,
                string.IsNullOrWhiteSpace(request.Message) ? $"Restore from {(from is null ? "the empty book" : from[..12])}" : request.Message,
                CorrelationOf(request.CorrelationId, call), OrNull(request.LockToken), OrNull(request.IdempotencyKey)), call.CancellationToken);
            return commit is null ? new CommitReply() : ToReply(commit);
        });

        app.MapGrpcUnary(AcquireLock, async (request, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            var branch = string.IsNullOrEmpty(request.Branch) ? RefNames.MainBranch : request.Branch;
            await history.GetBranchHeadAsync(projectId, branch, call.CancellationToken);
            var locks = call.HttpContext.RequestServices.GetRequiredService<GenerationLocks>();
            return ToMessage(await locks.AcquireAsync(projectId, branch, request.Holder, request.TtlSeconds, call.CancellationToken));
        });

        app.MapGrpcUnary(RenewLock, async (request, call) =>
        {
            var (_, projectId) = await OpenAsync(call, request.ProjectId);
            var locks = call.HttpContext.RequestServices.GetRequiredService<GenerationLocks>();
            return ToMessage(await locks.RenewAsync(projectId, Required(request.Branch, "branch"), ParseId(request.Token, "token"), request.TtlSeconds, call.CancellationToken));
        });

        app.MapGrpcUnary(ReleaseLock, async (request, call) =>
        {
            var (_, projectId) = await OpenAsync(call, request.ProjectId);
            var locks = call.HttpContext.RequestServices.GetRequiredService<GenerationLocks>();
            return new ReleaseLockReply { Released = await locks.ReleaseAsync(projectId, Required(request.Branch, "branch"), ParseId(request.Token, "token"), call.CancellationToken) };
        });

        app.MapGrpcUnary(Diff, async (request, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            var from = await history.ResolveRequiredAsync(projectId, Required(request.From, "from"), call.CancellationToken);
            var to = await history.ResolveRequiredAsync(projectId, Required(request.To, "to"), call.CancellationToken);
            var (oldTree, newTree) = (await history.GetTreeAsync(projectId, from, call.CancellationToken), await history.GetTreeAsync(projectId, to, call.CancellationToken));
            var only = string.IsNullOrEmpty(request.ChapterId) ? (Guid?)null : ParseId(request.ChapterId, "chapter_id");
            var reply = new DiffReply { FromCommit = from, ToCommit = to };
            var unified = new System.Text.StringBuilder();
            foreach (var chapterId in newTree.Chapters.Concat(oldTree.Chapters).Select(entry => entry.ChapterId).Distinct().Where(id => only is null || id == only))
            {
                var (oldId, newId) = (oldTree.Find(chapterId), newTree.Find(chapterId));
                if (oldId == newId)
                {
                    continue;
                }

                var oldText = oldId is null ? "" : await history.ReadTextAsync(projectId, oldId, call.CancellationToken);
                var newText = newId is null ? "" : await history.ReadTextAsync(projectId, newId, call.CancellationToken);
                var diff = ProseDiff.Compare(oldText, newText);
                reply.Chapters.Add(new ChapterStats
                {
                    ChapterId = chapterId.ToString(),
                    ChangeKind = oldId is null ? "added" : newId is null ? "removed" : "modified",
                    Words = WordCount.Count(newText),
                    WordsAdded = diff.Stats.WordsAdded,
                    WordsRemoved = diff.Stats.WordsRemoved,
                    PercentChanged = diff.Stats.PercentChanged,
                });
                unified.Append(diff.ToUnified($"{from}:{chapterId}", $"{to}:{chapterId}"));
            }

            reply.Unified = unified.ToString();
            return reply;
        });

        app.MapGrpcServerStreaming(StreamHistory, async (request, stream, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            foreach (var commit in KeptInParentOrder(await history.AllCommitsAsync(projectId, call.CancellationToken)))
            {
                var tree = await history.ReadTreeAsync(projectId, commit.View.TreeId, call.CancellationToken);
                await stream.WriteAsync(ToHistoryMessage(commit.View, commit.Parents, tree));
            }
        });

        app.MapGrpcUnary(CreateBranch, async (request, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            var services = call.HttpContext.RequestServices;
            var user = services.GetRequiredService<ICurrentUser>();
            var created = await Branches.BranchesApi.CreateBranchAsync(
                projectId, request.Name, OrNull(request.From), history, services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
                services.GetRequiredService<IOutbox>(), Contracts.Actor.User(user.Id, user.Email), CorrelationOf(request.CorrelationId, call), call.CancellationToken);
            return Repositories.RepositoriesGrpc.ToMessage(created);
        });

        app.MapGrpcUnary(CreateVersion, async (request, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            var services = call.HttpContext.RequestServices;
            var created = await Versions.VersionsApi.CreateVersionAsync(
                projectId, new Versions.CreateVersionRequest(null, Required(request.Name, "name"), Required(request.Ref, "ref"), OrNull(request.Message)),
                OrNull(request.Status) ?? "draft", history, services.GetRequiredService<Npgsql.NpgsqlDataSource>(), services.GetRequiredService<IOutbox>(),
                services.GetRequiredService<ICurrentUser>(), CorrelationOf(request.CorrelationId, call), call.CancellationToken);
            return ToMessage(created.Name, created.CommitId, created.Status, created.Message, created.CreatedAt);
        });

        app.MapGrpcServerStreaming(ListVersions, async (request, stream, call) =>
        {
            var (_, projectId) = await OpenAsync(call, request.ProjectId);
            var db = call.HttpContext.RequestServices.GetRequiredService<Npgsql.NpgsqlDataSource>();
            await using var connection = await db.OpenConnectionAsync(call.CancellationToken);
            var versions = await Dapper.SqlMapper.QueryAsync<(string Name, string CommitId, string Status, string? Message, DateTime CreatedAt)>(connection,
                new Dapper.CommandDefinition(
                    "SELECT name, commit_id, status, message, created_at FROM versions WHERE project_id = @projectId ORDER BY major, minor, patch",
                    new { projectId }, cancellationToken: call.CancellationToken));
            foreach (var version in versions)
            {
                await stream.WriteAsync(ToMessage(version.Name, version.CommitId, version.Status, version.Message, version.CreatedAt));
            }
        });

        app.MapGrpcServerStreaming(StreamContents, async (request, stream, call) =>
        {
            var (history, projectId) = await OpenAsync(call, request.ProjectId);
            foreach (var contentId in request.ContentIds)
            {
                await stream.WriteAsync(new ContentText { ContentId = contentId, Text = await history.ReadTextAsync(projectId, contentId, call.CancellationToken) });
            }
        });
        return app;
    }

    /// <summary>
    /// The kept commits with parents before children; a pruned commit's place in the lineage passes to its nearest kept
    /// ancestors, so the history stays connected without the texts retention removed.
    /// </summary>
    private static List<(CommitView View, IReadOnlyList<string> Parents)> KeptInParentOrder(IReadOnlyList<CommitView> commits)
    {
        var byId = commits.ToDictionary(commit => commit.Id);
        var keptParents = new Dictionary<string, IReadOnlyList<string>>();
        IReadOnlyList<string> KeptAncestors(string id)
        {
            if (keptParents.TryGetValue(id, out var known))
            {
                return known;
            }

            var result = new List<string>();
            var pending = new Stack<string>(byId.TryGetValue(id, out var commit) ? commit.Parents.Reverse() : []);
            var seen = new HashSet<string>();
            while (pending.TryPop(out var parent))
            {
                if (!seen.Add(parent) || !byId.TryGetValue(parent, out var parentCommit))
                {
                    continue;
                }

                if (parentCommit.PrunedAt is null)
                {
                    result.Add(parent);
                }
                else
                {
                    foreach (var grandparent in parentCommit.Parents.Reverse())
                    {
                        pending.Push(grandparent);
                    }
                }
            }

            keptParents[id] = result;
            return result;
        }

        var ordered = new List<(CommitView, IReadOnlyList<string>)>();
        var emitted = new HashSet<string>();
        void Emit(CommitView commit)
        {
            // Iterative depth-first emission: histories of thousands of commits must not overflow the stack.
            var stack = new Stack<(CommitView Commit, bool Expanded)>();
            stack.Push((commit, false));
            while (stack.TryPop(out var item))
            {
                if (emitted.Contains(item.Commit.Id))
                {
                    continue;
                }

                var parents = KeptAncestors(item.Commit.Id);
                if (item.Expanded)
                {
                    emitted.Add(item.Commit.Id);
                    ordered.Add((item.Commit, parents));
                    continue;
                }

                stack.Push((item.Commit, true));
                foreach (var parent in parents.Where(parent => !emitted.Contains(parent)))
                {
                    stack.Push((byId[parent], false));
                }
            }
        }

        foreach (var commit in commits.Where(commit => commit.PrunedAt is null))
        {
            Emit(commit);
        }

        return ordered;
    }

    private static HistoryCommit ToHistoryMessage(CommitView commit, IReadOnlyList<string> parents, BookTree tree)
    {
        var message = new HistoryCommit
        {
            CommitId = commit.Id,
            Kind = commit.Kind,
            AuthorKind = commit.Author.Kind,
            AuthorId = commit.Author.Id,
            AuthorName = commit.Author.Name ?? "",
            Message = commit.Message,
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(commit.CreatedAt),
        };
        message.Parents.AddRange(parents);
        if (commit.Author.Agent is { } agent)
        {
            message.Agent = new AgentAuthor
            {
                Name = agent.Name,
                Model = agent.Model,
                ParametersJson = agent.Parameters is null ? "" : JsonSerializer.Serialize(agent.Parameters),
                Confidence = agent.Confidence ?? 0,
            };
        }

        message.Changes.AddRange(commit.Changes.Select(ToStats));
        message.Chapters.AddRange(tree.Chapters.Select(entry => new TreeChapter { ChapterId = entry.ChapterId.ToString(), ContentId = entry.ContentId }));
        return message;
    }

    private static async Task<(HistoryStore History, Guid ProjectId)> OpenAsync(GrpcCallContext call, string projectId)
    {
        var id = ParseId(projectId, "project_id");
        var services = call.HttpContext.RequestServices;
        await services.GetRequiredService<IProjectOwnership>().EnsureOwnerAsync(id, services.GetRequiredService<ICurrentUser>().Id, call.CancellationToken);
        return (services.GetRequiredService<HistoryStore>(), id);
    }

    private static (Author Author, Contracts.Actor Actor) AuthorOf(AgentAuthor? agent, ICurrentUser user) => AuthorInput.Resolve(
        agent is null ? null : new AuthorInput(Author.AgentKind, new AgentInfo(agent.Name, agent.Model, ParseParameters(agent.ParametersJson), agent.Confidence)),
        user);

    private static Guid CorrelationOf(string value, GrpcCallContext call) =>
        Guid.TryParse(value, out var correlationId) ? correlationId : call.HttpContext.GetCorrelationId();

    private static VersionTag ToMessage(string name, string commitId, string status, string? message, DateTime createdAt) => new()
    {
        Name = name,
        CommitId = commitId,
        Status = status,
        Message = message ?? "",
        CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(createdAt, DateTimeKind.Utc)),
    };

    private static string? OrNull(string value) => string.IsNullOrEmpty(value) ? null : value;

    private static CommitReply ToReply(CommitView commit)
    {
        var reply = new CommitReply { CommitId = commit.Id };
        reply.Changes.AddRange(commit.Changes.Select(ToStats));
        return reply;
    }

    private static BranchLock ToMessage(LockView held) => new()
    {
        Branch = held.Branch,
        Holder = held.Holder,
        Token = held.Token.ToString(),
        ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(held.ExpiresAt, DateTimeKind.Utc)),
    };

    private static Guid ParseId(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw new GrpcException(GrpcStatusCode.InvalidArgument, $"{field} must be a UUID.");

    private static string Required(string value, string field) =>
        string.IsNullOrEmpty(value) ? throw new GrpcException(GrpcStatusCode.InvalidArgument, $"{field} is required.") : value;

    private static Dictionary<string, JsonElement>? ParseParameters(string json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json);
        }
        catch (JsonException)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, "agent.parameters_json must be a JSON object.");
        }
    }

    private static ChapterText ToMessage(Guid chapterId, string contentId, string text, int position, string commitId) => new()
    {
        ChapterId = chapterId.ToString(),
        ContentId = contentId,
        Text = text,
        Words = WordCount.Count(text),
        Position = position,
        CommitId = commitId,
    };

    private static ChapterStats ToStats(Folio.Contracts.Versioning.ChapterChange change) => new()
    {
        ChapterId = change.ChapterId.ToString(),
        ChangeKind = change.ChangeKind,
        Words = change.Words,
        WordsAdded = change.WordsAdded,
        WordsRemoved = change.WordsRemoved,
        PercentChanged = change.PercentChanged,
        ContentId = change.ContentId ?? "",
    };
}
