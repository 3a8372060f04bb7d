using Folio.Contracts.Grpc.Versioning;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Security;

namespace Folio.Generation.Api.Features.Books;

/// <summary>
/// The book's manuscript in Versioning over gRPC, acting for the job's owner: the branch lock, chapter texts,
/// commits attributed to an agent, and rollback commits.
/// </summary>
public sealed class Manuscript(IGrpcClientFactory clients, TokenIssuer tokens)
{
    /// <summary>Long enough for one call, a streamed snapshot included; each call signs a fresh one.</summary>
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(5);

    public const string ClientName = "versioning";

    private static readonly Google.Protobuf.Reflection.FileDescriptor File = VersioningReflection.Descriptor;
    private static readonly GrpcMethod<AcquireLockRequest, BranchLock> AcquireLock = GrpcMethod.Unary<AcquireLockRequest, BranchLock>(File, "Manuscripts", "AcquireLock");
    private static readonly GrpcMethod<RenewLockRequest, BranchLock> RenewLock = GrpcMethod.Unary<RenewLockRequest, BranchLock>(File, "Manuscripts", "RenewLock");
    private static readonly GrpcMethod<ReleaseLockRequest, ReleaseLockReply> ReleaseLock = GrpcMethod.Unary<ReleaseLockRequest, ReleaseLockReply>(File, "Manuscripts", "ReleaseLock");
    private static readonly GrpcMethod<ResolveRefRequest, ResolvedRef> ResolveRef = GrpcMethod.Unary<ResolveRefRequest, ResolvedRef>(File, "Manuscripts", "ResolveRef");
    private static readonly GrpcMethod<SnapshotRequest, ChapterText> Snapshot = GrpcMethod.ServerStreaming<SnapshotRequest, ChapterText>(File, "Manuscripts", "StreamSnapshot");
    private static readonly GrpcMethod<ContentsRequest, ContentText> Contents = GrpcMethod.ServerStreaming<ContentsRequest, ContentText>(File, "Manuscripts", "StreamContents");
    private static readonly GrpcMethod<CommitRequest, CommitReply> Commit = GrpcMethod.Unary<CommitRequest, CommitReply>(File, "Manuscripts", "Commit");
    private static readonly GrpcMethod<RestoreRequest, CommitReply> Restore = GrpcMethod.Unary<RestoreRequest, CommitReply>(File, "Manuscripts", "Restore");
    private static readonly GrpcMethod<GetRepositoryRequest, Repository> GetRepository = GrpcMethod.Unary<GetRepositoryRequest, Repository>(File, "Repositories", "GetRepository");

    /// <summary>Long enough for a commit of a long chapter on a busy machine, short enough to notice a dead peer.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public const int LockSeconds = 600;

    public Task<BranchLock> AcquireLockAsync(Guid ownerId, Guid projectId, string branch, string holder, CancellationToken cancellationToken) =>
        CallAsync(ownerId, AcquireLock, new AcquireLockRequest { ProjectId = projectId.ToString(), Branch = branch, Holder = holder, TtlSeconds = LockSeconds }, cancellationToken);

    public Task<BranchLock> RenewLockAsync(Guid ownerId, Guid projectId, string branch, string token, CancellationToken cancellationToken) =>
        CallAsync(ownerId, RenewLock, new RenewLockRequest { ProjectId = projectId.ToString(), Branch = branch, Token = token, TtlSeconds = LockSeconds }, cancellationToken);

    public async Task ReleaseLockAsync(Guid ownerId, Guid projectId, string branch, string token, CancellationToken cancellationToken) =>
        await CallAsync(ownerId, ReleaseLock, new ReleaseLockRequest { ProjectId = projectId.ToString(), Branch = branch, Token = token }, cancellationToken);

    /// <returns>The branch's head commit, or null while the branch has none.</returns>
    public async Task<string?> HeadAsync(Guid ownerId, Guid projectId, string branch, CancellationToken cancellationToken)
    {
        var repository = await CallAsync(ownerId, GetRepository, new GetRepositoryRequest { ProjectId = projectId.ToString() }, cancellationToken);
        var found = repository.Branches.FirstOrDefault(candidate => candidate.Name == branch)
            ?? throw new GrpcException(GrpcStatusCode.NotFound, $"Branch '{branch}' does not exist.");
        return found.HeadCommitId.Length == 0 ? null : found.HeadCommitId;
    }

    /// <summary>Which chapter holds which content at <paramref name="commitId"/>, in reading order, without the texts; empty for a book without commits.</summary>
    public async Task<IReadOnlyList<ChapterContent>> ManifestAtAsync(Guid ownerId, Guid projectId, string? commitId, CancellationToken cancellationToken)
    {
        var chapters = new List<ChapterContent>();
        if (commitId is null)
        {
            return chapters;
        }

        var request = new SnapshotRequest { ProjectId = projectId.ToString(), Ref = commitId, WithoutText = true };
        await foreach (var chapter in clients.Create(ClientName).ServerStreamingAsync(Snapshot, request, Options(ownerId), cancellationToken))
        {
            chapters.Add(new ChapterContent(Guid.Parse(chapter.ChapterId), chapter.ContentId));
        }

        return chapters;
    }

    /// <summary>The texts of the given contents, by content id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ContentsAsync(Guid ownerId, Guid projectId, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<string, string>();
        if (contentIds.Count == 0)
        {
            return texts;
        }

        var request = new ContentsRequest { ProjectId = projectId.ToString(), ContentIds = { contentIds } };
        await foreach (var content in clients.Create(ClientName).ServerStreamingAsync(Contents, request, Options(ownerId), cancellationToken))
        {
            texts[content.ContentId] = content.Text;
        }

        return texts;
    }

    public Task<CommitReply> CommitAsync(Guid ownerId, CommitRequest request, CancellationToken cancellationToken) =>
        CallAsync(ownerId, Commit, request, cancellationToken);

    public Task<CommitReply> RestoreAsync(Guid ownerId, RestoreRequest request, CancellationToken cancellationToken) =>
        CallAsync(ownerId, Restore, request, cancellationToken);

    private Task<TResponse> CallAsync<TRequest, TResponse>(Guid ownerId, GrpcMethod<TRequest, TResponse> method, TRequest request, CancellationToken cancellationToken)
        where TRequest : Google.Protobuf.IMessage<TRequest>, new()
        where TResponse : Google.Protobuf.IMessage<TResponse>, new() =>
        clients.Create(ClientName).UnaryAsync(method, request, Options(ownerId), cancellationToken);

    private GrpcCallOptions Options(Guid ownerId) =>
        new() { Deadline = Deadline, BearerToken = tokens.IssueOnBehalfOf(ownerId, "generation", TokenLifetime).Token };
}

/// <summary>A chapter of the book at a commit and the content address of its text.</summary>
public sealed record ChapterContent(Guid ChapterId, string ContentId);
