using FluentValidation;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.Gateway.Features.ApiKeys;

public sealed record CreateApiKeyRequest(string Name, int? ExpiresInDays);

/// <summary>The only response that ever carries the key itself.</summary>
public sealed record CreatedApiKeyResponse(ApiKeyResponse ApiKey, string Key);

internal sealed class CreateApiKeyRequestValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyRequestValidator()
    {
        RuleFor(request => request.Name).NotEmpty().MaximumLength(100);
        RuleFor(request => request.ExpiresInDays).InclusiveBetween(1, 3650).When(request => request.ExpiresInDays is not null);
    }
}

public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/api-keys").RequireAuthorization().WithTags("API keys");
        keys.MapPost("/", CreateAsync).WithValidation<CreateApiKeyRequest>();
        keys.MapGet("/", ListAsync);
        keys.MapDelete("/{keyId:guid}", RevokeAsync);
        return app;
    }

    private static async Task<Created<CreatedApiKeyResponse>> CreateAsync(
        CreateApiKeyRequest request, ApiKeyStore store, ICurrentUser user, TimeProvider clock, CancellationToken cancellationToken)
    {
        var expiresAt = request.ExpiresInDays is { } days ? clock.GetUtcNow().UtcDateTime.AddDays(days) : (DateTime?)null;
        var (key, secret) = await store.CreateAsync(user.Id, request.Name.Trim(), expiresAt, cancellationToken);
        return TypedResults.Created($"/api/v1/api-keys/{key.Id}", new CreatedApiKeyResponse(key, secret));
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyResponse>>> ListAsync(ApiKeyStore store, ICurrentUser user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(user.Id, cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid keyId, ApiKeyStore store, ICurrentUser user, CancellationToken cancellationToken) =>
        await store.RevokeAsync(user.Id, keyId, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"API key {keyId} does not exist or is already revoked.");
}
