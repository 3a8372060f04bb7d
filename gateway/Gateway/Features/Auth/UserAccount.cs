namespace Folio.Gateway.Features.Auth;

public sealed record UserAccount(Guid Id, string Email, string DisplayName, string PasswordHash, DateTime CreatedAt);
