using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Folio.ServiceDefaults.Security;

/// <summary>A service's answer to "does this user own this book?"; it throws a 404 problem when not.</summary>
public interface IProjectOwnership
{
    Task EnsureOwnerAsync(Guid projectId, Guid userId, CancellationToken cancellationToken);
}

/// <summary>Every route under a project answers 404 unless the caller owns it (ids must not reveal what exists).</summary>
public static class OwnedProjects
{
    /// <summary>A route group under <c>/api/v1/projects/{projectId}</c> that needs a caller who owns the book.</summary>
    public static RouteGroupBuilder MapOwnedProjectGroup(this IEndpointRouteBuilder app, string path, string tag) =>
        app.MapGroup("/api/v1/projects/{projectId:guid}" + path).RequireAuthorization().WithTags(tag).AddEndpointFilter(Filter);

    private static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var projectId = Guid.Parse(http.Request.RouteValues["projectId"]!.ToString()!);
        var user = http.RequestServices.GetRequiredService<ICurrentUser>();
        await http.RequestServices.GetRequiredService<IProjectOwnership>().EnsureOwnerAsync(projectId, user.Id, http.RequestAborted);
        return await next(context);
    }
}

/// <summary>
/// Ownership from a table of the service's own database with the book's id and its <c>owner_id</c> — the projects
/// table in Projects, and each other service's projection of <c>ProjectCreated</c>.
/// </summary>
public sealed class OwnershipTable(Npgsql.NpgsqlDataSource db, string table, string projectIdColumn) : IProjectOwnership
{
    public async Task EnsureOwnerAsync(Guid projectId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var owns = await Dapper.SqlMapper.ExecuteScalarAsync<bool>(connection, new Dapper.CommandDefinition(
            $"SELECT EXISTS (SELECT 1 FROM {table} WHERE {projectIdColumn} = @projectId AND owner_id = @userId)",
            new { projectId, userId }, cancellationToken: cancellationToken));
        if (!owns)
        {
            throw Http.ProblemException.NotFound($"Project {projectId} does not exist.");
        }
    }
}

/// <summary>
/// Remembers a confirmed ownership for a minute. A book never changes owner, so a "yes" goes stale only when the book is
/// deleted, and what a deleted book's id reaches afterwards is gone with it; the service that deletes its copy of a book
/// forgets it at once. A "no" is never remembered.
/// </summary>
public sealed class RememberedOwnership(IProjectOwnership source) : IProjectOwnership, IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly MemoryCache owners = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async Task EnsureOwnerAsync(Guid projectId, Guid userId, CancellationToken cancellationToken)
    {
        if (owners.TryGetValue(projectId, out Guid owner) && owner == userId)
        {
            return;
        }

        await source.EnsureOwnerAsync(projectId, userId, cancellationToken);
        owners.Set(projectId, userId, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
    }

    public void Forget(Guid projectId) => owners.Remove(projectId);

    public void Dispose() => owners.Dispose();
}

public static class OwnershipTableExtensions
{
    /// <summary>The service's answer to "does this user own this book?" from its own table, remembered (<see cref="RememberedOwnership"/>).</summary>
    public static IServiceCollection AddOwnershipTable(this IServiceCollection services, string table, string projectIdColumn) =>
        services
            .AddSingleton(provider => new RememberedOwnership(new OwnershipTable(provider.GetRequiredService<Npgsql.NpgsqlDataSource>(), table, projectIdColumn)))
            .AddSingleton<IProjectOwnership>(provider => provider.GetRequiredService<RememberedOwnership>());
}
