using Folio.ServiceDefaults.Security;

namespace Folio.Versioning.Api.Features.History;

/// <summary>Every route under a project answers 404 unless the caller owns it (ids must not reveal what exists).</summary>
public static class OwnerOnly
{
    /// <summary>A route group under <c>/api/v1/projects/{projectId}</c> that needs a caller who owns the book.</summary>
    public static RouteGroupBuilder MapOwnedProjectGroup(this IEndpointRouteBuilder app, string path, string tag) =>
        app.MapGroup("/api/v1/projects/{projectId:guid}" + path).RequireAuthorization().WithTags(tag).AddEndpointFilter(Filter);

    private static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var projectId = Guid.Parse(http.Request.RouteValues["projectId"]!.ToString()!);
        var user = http.RequestServices.GetRequiredService<ICurrentUser>();
        await http.RequestServices.GetRequiredService<HistoryStore>().EnsureOwnerAsync(projectId, user.Id, http.RequestAborted);
        return await next(context);
    }
}
