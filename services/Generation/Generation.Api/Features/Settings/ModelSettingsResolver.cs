using Dapper;
using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Core.Offline;
using Npgsql;

namespace Folio.Generation.Api.Features.Settings;

/// <summary>
/// The model a book's agents use: the book's own settings if it has them, else its owner's, with a job's provider/model
/// override on top.
/// </summary>
public sealed class ModelSettingsResolver(NpgsqlDataSource db, ApiKeyProtector keys)
{
    private const double DefaultTemperature = 0.8;
    private const int DefaultMaxTokens = 8192;

    public async Task<ModelSettings> ResolveAsync(Guid ownerId, Guid projectId, string? provider, string? model, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var saved = await connection.QueryFirstOrDefaultAsync<SavedSettings>(new CommandDefinition(
            """
            SELECT provider AS Provider, model AS Model, base_url AS BaseUrl, temperature AS Temperature, max_tokens AS MaxTokens, encrypted_api_key AS ApiKey
            FROM (
                SELECT 1 AS rank, provider, model, base_url, temperature, max_tokens, encrypted_api_key FROM project_provider_settings WHERE project_id = @projectId
                UNION ALL
                SELECT 2, provider, model, base_url, temperature, max_tokens, encrypted_api_key FROM provider_settings WHERE user_id = @ownerId
            ) AS saved
            ORDER BY rank LIMIT 1
            """,
            new { ownerId, projectId }, cancellationToken: cancellationToken)) ?? new SavedSettings();
        var chosen = provider ?? saved.Provider;
        // A saved key belongs to the saved provider: an override to another provider must not carry it there.
        var sameProvider = chosen == saved.Provider;
        var chosenModel = model ?? (sameProvider ? saved.Model : null) ?? (chosen == ProviderCatalogue.Offline ? OfflineWriter.ModelName : null)
            ?? throw new KeyNotFoundException($"No model is set for provider '{chosen}': save one in your generation settings or name it in the job.");
        return new ModelSettings(
            chosen, chosenModel, sameProvider ? saved.Temperature ?? DefaultTemperature : DefaultTemperature,
            sameProvider ? saved.MaxTokens ?? DefaultMaxTokens : DefaultMaxTokens,
            sameProvider && saved.BaseUrl is { } url ? new Uri(url) : null,
            sameProvider && saved.ApiKey is { } key ? keys.Unprotect(key) : null);
    }

    private sealed class SavedSettings
    {
        public string Provider { get; init; } = ProviderCatalogue.Offline;

        public string? Model { get; init; }

        public string? BaseUrl { get; init; }

        public double? Temperature { get; init; }

        public int? MaxTokens { get; init; }

        public byte[]? ApiKey { get; init; }
    }
}
