namespace Folio.ServiceDefaults.Security;

/// <summary>The caller of the current request, as the validated bearer token says.</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    /// <summary>The user's id (<c>sub</c>); throws when the request is anonymous, so endpoints must require authorization.</summary>
    Guid Id { get; }

    string? Email { get; }

    /// <summary>The raw bearer token, forwarded on calls to other services so they check the same caller.</summary>
    string? BearerToken { get; }
}
