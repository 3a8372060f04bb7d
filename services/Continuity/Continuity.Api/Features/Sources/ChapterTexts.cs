using Folio.Contracts.Grpc.Versioning;
using Folio.ServiceDefaults.Grpc;

namespace Folio.Continuity.Api.Features.Sources;

public sealed record ChapterSource(string CommitId, string Text);

/// <summary>Chapter text lives only in Versioning; Continuity reads it for each check.</summary>
public interface IChapterTexts
{
    /// <returns>The chapter at <paramref name="reference"/> (branch, tag or commit), or null when the project, ref or chapter does not exist for this caller.</returns>
    Task<ChapterSource?> GetAsync(Guid projectId, string reference, Guid chapterId, string bearerToken, CancellationToken cancellationToken);
}

/// <summary>Reads chapters over Versioning's gRPC <c>Manuscripts.GetChapter</c>, as the caller (Versioning checks ownership itself).</summary>
public sealed class VersioningChapterTexts(IGrpcClientFactory clients) : IChapterTexts
{
    public const string Name = "versioning";

    private static readonly GrpcMethod<GetChapterRequest, ChapterText> GetChapterMethod =
        GrpcMethod.Unary<GetChapterRequest, ChapterText>(VersioningReflection.Descriptor, "Manuscripts", "GetChapter");

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public async Task<ChapterSource?> GetAsync(Guid projectId, string reference, Guid chapterId, string bearerToken, CancellationToken cancellationToken)
    {
        try
        {
            var chapter = await clients.Create(Name).UnaryAsync(
                GetChapterMethod,
                new GetChapterRequest { ProjectId = projectId.ToString(), Ref = reference, ChapterId = chapterId.ToString() },
                new GrpcCallOptions { Deadline = Deadline, BearerToken = bearerToken },
                cancellationToken);
            return new ChapterSource(chapter.CommitId, chapter.Text);
        }
        catch (GrpcException exception) when (exception.StatusCode == GrpcStatusCode.NotFound)
        {
            return null;
        }
    }
}
