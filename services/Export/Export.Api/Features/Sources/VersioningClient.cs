using Folio.Contracts.Grpc.Versioning;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Security;

namespace Folio.Export.Api.Features.Sources;

/// <summary>Reads manuscripts from Versioning over gRPC, as the calling user (Versioning checks ownership itself).</summary>
public sealed class VersioningClient(IGrpcClientFactory clients, ICurrentUser user)
{
    public const string Name = "versioning";

    private static readonly GrpcMethod<GetRepositoryRequest, Repository> GetRepositoryMethod =
        GrpcMethod.Unary<GetRepositoryRequest, Repository>(VersioningReflection.Descriptor, "Repositories", "GetRepository");

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    /// <returns>The repository, or null when it does not exist for this user.</returns>
    public async Task<Repository?> GetRepositoryAsync(Guid projectId, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.Create(Name).UnaryAsync(
                GetRepositoryMethod,
                new GetRepositoryRequest { ProjectId = projectId.ToString() },
                new GrpcCallOptions { Deadline = Deadline, BearerToken = user.BearerToken },
                cancellationToken);
        }
        catch (GrpcException exception) when (exception.StatusCode == GrpcStatusCode.NotFound)
        {
            return null;
        }
    }
}
