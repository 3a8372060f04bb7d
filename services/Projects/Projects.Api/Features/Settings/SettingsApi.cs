using Dapper;
using Folio.Projects.Api.Features.Audit;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.Settings;

public static class SettingsApi
{
    private const string Columns =
        """
        default_provider AS DefaultProvider, default_model AS DefaultModel, autosave_interval_seconds AS AutosaveIntervalSeconds,
        default_export_format AS DefaultExportFormat, time_zone AS TimeZone, version AS Version
        """;

    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/v1/settings").RequireAuthorization().WithTags("Settings");
        settings.MapGet("/", GetAsync);
        settings.MapPut("/", UpdateAsync).WithValidation<UpdateUserSettingsRequest>();
        settings.MapGet("/audit", AuditAsync);
        return app;
    }

    /// <summary>The user's settings, or the defaults when none were saved.</summary>
    public static async Task<UserSettingsResponse> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid userId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<UserSettingsResponse>(new CommandDefinition(
            $"SELECT {Columns} FROM user_settings WHERE user_id = @userId", new { userId }, transaction, cancellationToken: cancellationToken))
        ?? UserSettingsResponse.Defaults;

    private static async Task<Ok<UserSettingsResponse>> GetAsync(NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var settings = await ReadAsync(connection, null, user.Id, cancellationToken);
        http.Response.SetETag(settings.Version);
        return TypedResults.Ok(settings);
    }

    private static async Task<Ok<UserSettingsResponse>> UpdateAsync(
        UpdateUserSettingsRequest request, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One settings change per user at a time, so the audit's "before" is the version this change replaces.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('user_settings:' || @UserId::text, 0))", new { UserId = user.Id }, transaction, cancellationToken: cancellationToken));
        var before = await ReadAsync(connection, transaction, user.Id, cancellationToken);
        // The defaults are version 1: a first save inserts version 2, and only if nobody saved in between.
        var sql = expected == 1
            ? $"""
              INSERT INTO user_settings (user_id, default_provider, default_model, autosave_interval_seconds, default_export_format, time_zone, version)
              VALUES (@UserId, @DefaultProvider, @DefaultModel, @AutosaveIntervalSeconds, @DefaultExportFormat, @TimeZone, 2)
              ON CONFLICT (user_id) DO NOTHING
              RETURNING {Columns}
              """
            : $"""
              UPDATE user_settings
                 SET default_provider = @DefaultProvider, default_model = @DefaultModel, autosave_interval_seconds = @AutosaveIntervalSeconds,
                     default_export_format = @DefaultExportFormat, time_zone = @TimeZone, version = version + 1, updated_at = now()
               WHERE user_id = @UserId AND version = @Expected
              RETURNING {Columns}
              """;
        var saved = await connection.QuerySingleOrDefaultAsync<UserSettingsResponse>(new CommandDefinition(
            sql,
            new
            {
                UserId = user.Id,
                request.DefaultProvider,
                request.DefaultModel,
                request.AutosaveIntervalSeconds,
                request.DefaultExportFormat,
                request.TimeZone,
                Expected = expected,
            },
            transaction,
            cancellationToken: cancellationToken))
            ?? throw ProblemException.PreconditionFailed("Your settings changed since you read them; re-read them and apply your change again.");
        await AuditLog.RecordAsync(transaction, AuditContext.FromRequest(http, user), AuditTarget.Personal(user.Id, "user_settings"), before.Snapshot(), saved.Snapshot(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        http.Response.SetETag(saved.Version);
        return TypedResults.Ok(saved);
    }

    /// <summary>Every change to the caller's settings, newest first (the same filters and cursor as a book's audit).</summary>
    private static async Task<Ok<AuditPageResponse>> AuditAsync([AsParameters] AuditQuery query, NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await query.PageAsync(connection, AuditQuery.Personal, user.Id, cancellationToken));
    }
}
