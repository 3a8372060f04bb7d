using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Folio.ServiceDefaults.Grpc;

public sealed class GrpcCallContext(HttpContext httpContext, DateTimeOffset? deadline, CancellationToken cancellationToken)
{
    public HttpContext HttpContext { get; } = httpContext;

    public ClaimsPrincipal User => HttpContext.User;

    /// <summary>The call's metadata; <c>authorization</c> has already been validated by the authentication middleware.</summary>
    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;

    public DateTimeOffset? Deadline { get; } = deadline;

    /// <summary>Cancelled when the client goes away or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;
}
