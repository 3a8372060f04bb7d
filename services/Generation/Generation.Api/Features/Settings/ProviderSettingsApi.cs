using Dapper;
using FluentValidation;
using Folio.Generation.Api.Features.Providers;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Generation.Api.Features.Settings;

/// <summary>
/// What the writer chose; the API key itself is never shown again, only whether one is stored. Scope: "user" (the writer's
/// own, used by every book without settings of its own) or "book".
/// </summary>
public sealed record ProviderSettingsView(
    string Provider, string? Model, string? BaseUrl, double? Temperature, int? MaxTokens, bool HasApiKey, DateTime? UpdatedAt, string Scope);

/// <summary>ApiKey: null keeps the stored key, "" removes it, anything else replaces it.</summary>
public sealed record ProviderSettingsRequest(string Provider, string? Model, string? BaseUrl, double? Temperature, int? MaxTokens, string? ApiKey);

internal sealed class ProviderSettingsRequestValidator : AbstractValidator<ProviderSettingsRequest>
{
    public ProviderSettingsRequestValidator()
    {
        RuleFor(request => request.Provider).Must(ProviderCatalogue.IsKnown)
            .WithMessage($"Provider must be one of: {string.Join(", ", ProviderCatalogue.Ids)}.");
        RuleFor(request => request.Model).NotEmpty().MaximumLength(200)
            .When(request => request.Provider != ProviderCatalogue.Offline)
            .WithMessage("A real provider needs the model to call, e.g. 'claude-sonnet-4-5' or 'llama3.1'.");
        RuleFor(request => request.BaseUrl)
            .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            .When(request => request.BaseUrl is not null)
            .WithMessage("BaseUrl must be an absolute http(s) URL, e.g. http://127.0.0.1:11434/v1 for Ollama.");
        RuleFor(request => request.Temperature).InclusiveBetween(0, 2).When(request => request.Temperature is not null);
        RuleFor(request => request.MaxTokens).InclusiveBetween(1, 200_000).When(request => request.MaxTokens is not null);
        RuleFor(request => request.ApiKey).MaximumLength(500);
    }
}

/// <summary>Where settings are kept: the writer's own, or one book's, which win for that book's jobs and reviews.</summary>
internal sealed record SettingsScope(string Name, string Table, string KeyColumn, Guid Key)
{
    public static SettingsScope User(Guid userId) => new("user", "provider_settings", "user_id", userId);

    public static SettingsScope Book(Guid projectId) => new("book", "project_provider_settings", "project_id", projectId);
}

public static class ProviderSettingsApi
{
    public static IEndpointRouteBuilder MapProviderSettingsApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/v1/generation/settings").RequireAuthorization().WithTags("Generation");
        settings.MapGet("/", (NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken) =>
            GetAsync(db, SettingsScope.User(user.Id), null, http, cancellationToken));
        settings.MapPut("/", (ProviderSettingsRequest request, NpgsqlDataSource db, ApiKeyProtector keys, ICurrentUser user, HttpContext http, CancellationToken cancellationToken) =>
            UpdateAsync(request, db, keys, SettingsScope.User(user.Id), http, cancellationToken)).WithValidation<ProviderSettingsRequest>();

        var book = app.MapOwnedProjectGroup("/generation-settings", "Generation");
        book.MapGet("/", (Guid projectId, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken) =>
            GetAsync(db, SettingsScope.Book(projectId), SettingsScope.User(user.Id), http, cancellationToken));
        book.MapPut("/", (Guid projectId, ProviderSettingsRequest request, NpgsqlDataSource db, ApiKeyProtector keys, HttpContext http, CancellationToken cancellationToken) =>
            UpdateAsync(request, db, keys, SettingsScope.Book(projectId), http, cancellationToken)).WithValidation<ProviderSettingsRequest>();
        book.MapDelete("/", DeleteBookSettingsAsync);
        return app;
    }

    /// <param name="inherited">Whose settings apply while <paramref name="scope"/> has none (a book falls back to its owner's).</param>
    private static async Task<Ok<ProviderSettingsView>> GetAsync(
        NpgsqlDataSource db, SettingsScope scope, SettingsScope? inherited, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var own = await ReadAsync(connection, scope, cancellationToken);
        // The version belongs to the scope asked about: a book without settings is at version 1, whatever its owner's are.
        http.Response.SetETag(own?.Version ?? 1);
        var shown = own is not null || inherited is null
            ? (own ?? SettingsRow.Defaults).ToView(scope.Name)
            : ((await ReadAsync(connection, inherited, cancellationToken)) ?? SettingsRow.Defaults).ToView(inherited.Name);
        return TypedResults.Ok(shown);
    }

    private static Task<SettingsRow?> ReadAsync(NpgsqlConnection connection, SettingsScope scope, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(
            $"""
            SELECT provider AS Provider, model AS Model, base_url AS BaseUrl, temperature AS Temperature, max_tokens AS MaxTokens,
                   encrypted_api_key IS NOT NULL AS HasApiKey, updated_at AS UpdatedAt, version AS Version
            FROM {scope.Table} WHERE {scope.KeyColumn} = @Key
            """,
            new { scope.Key }, cancellationToken: cancellationToken));

    private static async Task<Ok<ProviderSettingsView>> UpdateAsync(
        ProviderSettingsRequest request, NpgsqlDataSource db, ApiKeyProtector keys, SettingsScope scope, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        // With no row yet the caller saw version 1, so inserting is the change from 1 to 2.
        var row = await connection.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(
            $"""
            WITH updated AS (
                UPDATE {scope.Table}
                SET provider = @Provider, model = @Model, base_url = @BaseUrl, temperature = @Temperature, max_tokens = @MaxTokens,
                    encrypted_api_key = CASE WHEN @ReplaceKey THEN @Key ELSE encrypted_api_key END,
                    updated_at = now(), version = version + 1
                WHERE {scope.KeyColumn} = @ScopeKey AND version = @Expected
                RETURNING provider, model, base_url, temperature, max_tokens, encrypted_api_key IS NOT NULL AS has_key, updated_at, version
            ), inserted AS (
                INSERT INTO {scope.Table} ({scope.KeyColumn}, provider, model, base_url, temperature, max_tokens, encrypted_api_key, version)
                SELECT @ScopeKey, @Provider, @Model, @BaseUrl, @Temperature, @MaxTokens, CASE WHEN @ReplaceKey THEN @Key END, 2
                WHERE @Expected = 1 AND NOT EXISTS (SELECT 1 FROM {scope.Table} WHERE {scope.KeyColumn} = @ScopeKey)
                ON CONFLICT ({scope.KeyColumn}) DO NOTHING
                RETURNING provider, model, base_url, temperature, max_tokens, encrypted_api_key IS NOT NULL AS has_key, updated_at, version
            )
            SELECT provider AS Provider, model AS Model, base_url AS BaseUrl, temperature AS Temperature, max_tokens AS MaxTokens,
                   has_key AS HasApiKey, updated_at AS UpdatedAt, version AS Version
            FROM (SELECT * FROM updated UNION ALL SELECT * FROM inserted) AS saved
            """,
            new
            {
                ScopeKey = scope.Key,
                request.Provider,
                Model = request.Model?.Trim(),
                request.BaseUrl,
                request.Temperature,
                request.MaxTokens,
                ReplaceKey = request.ApiKey is not null,
                Key = string.IsNullOrEmpty(request.ApiKey) ? null : keys.Protect(request.ApiKey),
                Expected = expected,
            },
            cancellationToken: cancellationToken))
            ?? throw ProblemException.PreconditionFailed("These provider settings changed since you read them: read them again and reapply your change.");
        http.Response.SetETag(row.Version);
        return TypedResults.Ok(row.ToView(scope.Name));
    }

    /// <summary>The book goes back to its owner's settings (and forgets its own key).</summary>
    private static async Task<NoContent> DeleteBookSettingsAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM project_provider_settings WHERE project_id = @projectId", new { projectId }, cancellationToken: cancellationToken));
        return TypedResults.NoContent();
    }

    private sealed class SettingsRow
    {
        public static readonly SettingsRow Defaults = new() { Provider = ProviderCatalogue.Offline, Version = 1 };

        public string Provider { get; init; } = "";
        public string? Model { get; init; }
        public string? BaseUrl { get; init; }
        public double? Temperature { get; init; }
        public int? MaxTokens { get; init; }
        public bool HasApiKey { get; init; }
        public DateTime? UpdatedAt { get; init; }
        public int Version { get; init; }

        public ProviderSettingsView ToView(string scope) =>
            new(Provider, Model, BaseUrl, Temperature is { } t ? Math.Round(t, 3) : null, MaxTokens, HasApiKey, UpdatedAt, scope);
    }
}
