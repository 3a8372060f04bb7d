using System.Runtime.CompilerServices;
using Folio.Contracts.Grpc.Versioning;
using Folio.ServiceDefaults.Grpc;

namespace Folio.Export.Api.Features.Sources;

/// <summary>
/// Reads manuscripts from Versioning over gRPC as a given user (Versioning checks ownership itself): the caller's own
/// token in a request, a short-lived token for the job's owner in a background export.
/// </summary>
public sealed class VersioningClient(IGrpcClientFactory clients)
{
    public const string Name = "versioning";

    private static readonly Google.Protobuf.Reflection.FileDescriptor File = VersioningReflection.Descriptor;
    private static readonly GrpcMethod<GetRepositoryRequest, Repository> GetRepositoryMethod =
        GrpcMethod.Unary<GetRepositoryRequest, Repository>(File, "Repositories", "GetRepository");
    private static readonly GrpcMethod<ResolveRefRequest, ResolvedRef> ResolveRefMethod =
        GrpcMethod.Unary<ResolveRefRequest, ResolvedRef>(File, "Manuscripts", "ResolveRef");
    private static readonly GrpcMethod<SnapshotRequest, ChapterText> StreamSnapshotMethod =
        GrpcMethod.ServerStreaming<SnapshotRequest, ChapterText>(File, "Manuscripts", "StreamSnapshot");

    private static readonly GrpcMethod<HistoryRequest, HistoryCommit> StreamHistoryMethod =
        GrpcMethod.ServerStreaming<HistoryRequest, HistoryCommit>(File, "Manuscripts", "StreamHistory");
    private static readonly GrpcMethod<HistoryRequest, VersionTag> ListVersionsMethod =
        GrpcMethod.ServerStreaming<HistoryRequest, VersionTag>(File, "Manuscripts", "ListVersions");
    private static readonly GrpcMethod<ContentsRequest, ContentText> StreamContentsMethod =
        GrpcMethod.ServerStreaming<ContentsRequest, ContentText>(File, "Manuscripts", "StreamContents");

    private static readonly GrpcMethod<CommitRequest, CommitReply> CommitMethod =
        GrpcMethod.Unary<CommitRequest, CommitReply>(File, "Manuscripts", "Commit");

    private static readonly GrpcMethod<CreateBranchRequest, Branch> CreateBranchMethod =
        GrpcMethod.Unary<CreateBranchRequest, Branch>(File, "Manuscripts", "CreateBranch");
    private static readonly GrpcMethod<CreateVersionRequest, VersionTag> CreateVersionMethod =
        GrpcMethod.Unary<CreateVersionRequest, VersionTag>(File, "Manuscripts", "CreateVersion");

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SnapshotDeadline = TimeSpan.FromMinutes(5);

    /// <summary>A 200,000-word chapter is a few megabytes of UTF-8; the default 4 MB would refuse a longer one.</summary>
    private const int MaxChapterMessageSize = 64 * 1024 * 1024;

    /// <returns>The repository, or null when it does not exist for this user.</returns>
    public async Task<Repository?> GetRepositoryAsync(Guid projectId, string? bearerToken, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.Create(Name).UnaryAsync(
                GetRepositoryMethod,
                new GetRepositoryRequest { ProjectId = projectId.ToString() },
                new GrpcCallOptions { Deadline = Deadline, BearerToken = bearerToken },
                cancellationToken);
        }
        catch (GrpcException exception) when (exception.StatusCode == GrpcStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <returns>The commit a branch, version or commit id names, or null when there is none (unknown ref, empty branch).</returns>
    public async Task<string?> ResolveRefAsync(Guid projectId, string reference, string? bearerToken, CancellationToken cancellationToken)
    {
        try
        {
            return (await clients.Create(Name).UnaryAsync(
                ResolveRefMethod,
                new ResolveRefRequest { ProjectId = projectId.ToString(), Ref = reference },
                new GrpcCallOptions { Deadline = Deadline, BearerToken = bearerToken },
                cancellationToken)).CommitId;
        }
        catch (GrpcException exception) when (exception.StatusCode is GrpcStatusCode.NotFound or GrpcStatusCode.InvalidArgument)
        {
            return null;
        }
    }

    /// <summary>Every chapter of the book at <paramref name="commitId"/>, in reading order.</summary>
    public async IAsyncEnumerable<ChapterText> StreamSnapshotAsync(
        Guid projectId, string commitId, string bearerToken, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chapters = clients.Create(Name).ServerStreamingAsync(
            StreamSnapshotMethod,
            new SnapshotRequest { ProjectId = projectId.ToString(), Ref = commitId },
            new GrpcCallOptions { Deadline = SnapshotDeadline, BearerToken = bearerToken, MaxReceiveMessageSize = MaxChapterMessageSize },
            cancellationToken);
        await foreach (var chapter in chapters)
        {
            yield return chapter;
        }
    }

    /// <summary>Every kept commit of the book, parents before children, each with its chapters.</summary>
    public IAsyncEnumerable<HistoryCommit> StreamHistoryAsync(Guid projectId, string bearerToken, CancellationToken cancellationToken) =>
        clients.Create(Name).ServerStreamingAsync(
            StreamHistoryMethod, new HistoryRequest { ProjectId = projectId.ToString() },
            new GrpcCallOptions { Deadline = SnapshotDeadline, BearerToken = bearerToken }, cancellationToken);

    public IAsyncEnumerable<VersionTag> ListVersionsAsync(Guid projectId, string bearerToken, CancellationToken cancellationToken) =>
        clients.Create(Name).ServerStreamingAsync(
            ListVersionsMethod, new HistoryRequest { ProjectId = projectId.ToString() },
            new GrpcCallOptions { Deadline = Deadline, BearerToken = bearerToken }, cancellationToken);

    public IAsyncEnumerable<ContentText> StreamContentsAsync(Guid projectId, IEnumerable<string> contentIds, string bearerToken, CancellationToken cancellationToken)
    {
        var request = new ContentsRequest { ProjectId = projectId.ToString() };
        request.ContentIds.AddRange(contentIds);
        return clients.Create(Name).ServerStreamingAsync(
            StreamContentsMethod, request,
            new GrpcCallOptions { Deadline = SnapshotDeadline, BearerToken = bearerToken, MaxReceiveMessageSize = MaxChapterMessageSize }, cancellationToken);
    }

    /// <summary>Commits chapter edits on a branch as the token's user (or as the agent the request names).</summary>
    public Task<CommitReply> CommitAsync(CommitRequest request, string bearerToken, CancellationToken cancellationToken) =>
        clients.Create(Name).UnaryAsync(
            CommitMethod, request, new GrpcCallOptions { Deadline = SnapshotDeadline, BearerToken = bearerToken }, cancellationToken);

    /// <summary>A new branch at a commit (<paramref name="from"/> empty: a branch without commits).</summary>
    public Task<Branch> CreateBranchAsync(Guid projectId, string name, string from, string bearerToken, CancellationToken cancellationToken) =>
        clients.Create(Name).UnaryAsync(
            CreateBranchMethod, new CreateBranchRequest { ProjectId = projectId.ToString(), Name = name, From = from },
            new GrpcCallOptions { Deadline = Deadline, BearerToken = bearerToken }, cancellationToken);

    /// <summary>Tags a commit with a semantic version and its status.</summary>
    public Task<VersionTag> CreateVersionAsync(Guid projectId, string name, string commitId, string message, string status, string bearerToken, CancellationToken cancellationToken) =>
        clients.Create(Name).UnaryAsync(
            CreateVersionMethod, new CreateVersionRequest { ProjectId = projectId.ToString(), Name = name, Ref = commitId, Message = message, Status = status },
            new GrpcCallOptions { Deadline = Deadline, BearerToken = bearerToken }, cancellationToken);
}
