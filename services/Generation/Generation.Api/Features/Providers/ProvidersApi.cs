using Dapper;
using Folio.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Generation.Api.Features.Providers;

public sealed record ProvidersResponse(string Selected, string? SelectedModel, IReadOnlyList<ProviderDescription> Available);

/// <summary>The LLM providers a writer can choose from, and the one in force for them (the offline writer until they choose).</summary>
public static class ProvidersApi
{
    public static IEndpointRouteBuilder MapProvidersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/generation").RequireAuthorization().WithTags("Generation")
            .MapGet("/providers", GetAsync);
        return app;
    }

    private static async Task<Ok<ProvidersResponse>> GetAsync(NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var settings = await connection.QuerySingleOrDefaultAsync<(string Provider, string? Model)>(new CommandDefinition(
            "SELECT provider, model FROM provider_settings WHERE user_id = @UserId",
            new { UserId = user.Id },
            cancellationToken: cancellationToken));
        return TypedResults.Ok(new ProvidersResponse(settings.Provider ?? ProviderCatalogue.Offline, settings.Model, ProviderCatalogue.All));
    }
}
