using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
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
