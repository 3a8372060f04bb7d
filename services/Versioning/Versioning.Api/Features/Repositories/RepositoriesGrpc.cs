using Folio.Contracts.Grpc.Versioning;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Security;
using Google.Protobuf.WellKnownTypes;

namespace Folio.Versioning.Api.Features.Repositories;

/// <summary><c>folio.versioning.v1.Repositories</c>: what other services read of a book's repository.</summary>
public static class RepositoriesGrpc
{
    public static readonly GrpcMethod<GetRepositoryRequest, Repository> GetRepository =
        GrpcMethod.Unary<GetRepositoryRequest, Repository>(VersioningReflection.Descriptor, "Repositories", "GetRepository");

    public static readonly GrpcMethod<ListBranchesRequest, Branch> ListBranches =
        GrpcMethod.ServerStreaming<ListBranchesRequest, Branch>(VersioningReflection.Descriptor, "Repositories", "ListBranches");

    public static IEndpointRouteBuilder MapRepositoriesGrpc(this IEndpointRouteBuilder app)
    {
        app.MapGrpcUnary(GetRepository, async (request, call) =>
        {
            var repository = await FindAsync(request.ProjectId, call);
            var reply = new Repository
            {
                ProjectId = repository.ProjectId.ToString(),
                DefaultBranch = repository.DefaultBranch,
                CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(repository.CreatedAt, DateTimeKind.Utc)),
            };
            reply.Branches.AddRange(repository.Branches.Select(ToMessage));
            return reply;
        });

        app.MapGrpcServerStreaming(ListBranches, async (request, stream, call) =>
        {
            var repository = await FindAsync(request.ProjectId, call);
            foreach (var branch in repository.Branches)
            {
                await stream.WriteAsync(ToMessage(branch));
            }
        });
        return app;
    }

    private static async Task<RepositoryView> FindAsync(string projectId, GrpcCallContext call)
    {
        if (!Guid.TryParse(projectId, out var id))
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, "project_id must be a UUID.");
        }

        var services = call.HttpContext.RequestServices;
        var user = services.GetRequiredService<ICurrentUser>();
        return await services.GetRequiredService<RepositoryStore>().FindAsync(id, user.Id, call.CancellationToken)
            ?? throw new GrpcException(GrpcStatusCode.NotFound, $"Project {id} has no repository.");
    }

    public static Branch ToMessage(BranchView branch) => new()
    {
        Name = branch.Name,
        HeadCommitId = branch.HeadCommitId ?? "",
        UpdatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(branch.UpdatedAt, DateTimeKind.Utc)),
    };
}
