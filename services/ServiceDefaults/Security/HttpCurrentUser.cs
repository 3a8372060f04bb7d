using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Folio.ServiceDefaults.Security;

internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    private HttpContext Context => accessor.HttpContext ?? throw new InvalidOperationException("There is no current request.");

    public bool IsAuthenticated => accessor.HttpContext?.User.Identity?.IsAuthenticated == true;

    public Guid Id => Guid.TryParse(Context.User.FindFirst("sub")?.Value, out var id)
        ? id
        : throw new InvalidOperationException("The caller has no valid 'sub' claim; require authorization on this endpoint.");

    public string? Email => Context.User.FindFirst("email")?.Value;

    public string? BearerToken
    {
        get
        {
            var header = Context.Request.Headers[HeaderNames.Authorization].ToString();
            return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        }
    }
}
