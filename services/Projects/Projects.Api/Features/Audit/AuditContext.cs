using Folio.Contracts;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;

namespace Folio.Projects.Api.Features.Audit;

/// <summary>Who made a change and which request or job it belongs to.</summary>
public sealed record AuditContext(Guid OwnerId, Actor Actor, Guid CorrelationId)
{
    /// <summary>Agents (the architect writing a brief, the continuity extractor) call with the user's token and name themselves.</summary>
    public const string AgentHeader = "X-Folio-Agent";

    public const string AgentModelHeader = "X-Folio-Agent-Model";

    public static AuditContext FromRequest(HttpContext http, ICurrentUser user)
    {
        var agent = http.Request.Headers[AgentHeader].ToString();
        var actor = agent.Length > 0
            ? Actor.Agent(agent[..Math.Min(agent.Length, 100)], NullIfEmpty(http.Request.Headers[AgentModelHeader].ToString()))
            : Actor.User(user.Id, user.Email);
        return new AuditContext(user.Id, actor, http.GetCorrelationId());
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value[..Math.Min(value.Length, 200)];
}

/// <summary>The resource a change touched: in a book, in a series, or (neither) the writer's own, like their settings.</summary>
public sealed record AuditTarget(Guid? ProjectId, Guid? SeriesId, string ResourceType, string ResourceId)
{
    public static AuditTarget InProject(Guid projectId, string resourceType, object resourceId) =>
        new(projectId, null, resourceType, resourceId.ToString()!);

    public static AuditTarget InSeries(Guid seriesId, string resourceType, object resourceId) =>
        new(null, seriesId, resourceType, resourceId.ToString()!);

    public static AuditTarget Personal(Guid userId, string resourceType) => new(null, null, resourceType, userId.ToString());
}
