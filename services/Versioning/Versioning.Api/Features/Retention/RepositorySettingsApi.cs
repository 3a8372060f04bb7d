using Dapper;
using FluentValidation;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Versioning.Api.Features.Retention;

public sealed record RetentionSettings(int KeepLast, int HourlyForHours, int DailyForDays);

public sealed record RepositorySettings(double MajorEditThreshold, RetentionSettings Retention, DateTimeOffset? LastRetentionRunAt);

public sealed record RepositorySettingsRequest(double MajorEditThreshold, RetentionSettings Retention);

internal sealed class RepositorySettingsRequestValidator : AbstractValidator<RepositorySettingsRequest>
{
    public RepositorySettingsRequestValidator()
    {
        RuleFor(request => request.MajorEditThreshold).InclusiveBetween(0.01, 1.0)
            .WithMessage("The major-edit threshold is the share of a chapter's words that changed, between 0.01 and 1.");
        RuleFor(request => request.Retention).NotNull();
        RuleFor(request => request.Retention.KeepLast).InclusiveBetween(1, 100_000).When(request => request.Retention is not null);
        RuleFor(request => request.Retention.HourlyForHours).InclusiveBetween(0, 8_760).When(request => request.Retention is not null);
        RuleFor(request => request.Retention.DailyForDays).InclusiveBetween(0, 3_650).When(request => request.Retention is not null);
        RuleFor(request => request.Retention.DailyForDays)
            .Must((request, days) => days * 24 >= request.Retention.HourlyForHours)
            .When(request => request.Retention is not null)
            .WithMessage("The daily window must not end before the hourly one.");
    }
}

/// <summary>Per-book settings of the version history (major-edit threshold, retention) and an on-demand retention run.</summary>
public static class RepositorySettingsApi
{
    private const string SelectSettings =
        """
        SELECT major_edit_threshold AS MajorEditThreshold, retention_keep_last AS KeepLast, retention_hourly_for_hours AS HourlyForHours,
               retention_daily_for_days AS DailyForDays, last_retention_run_at AS LastRetentionRunAt, version AS Version
        FROM repository_settings
        """;

    public static IEndpointRouteBuilder MapRepositorySettingsApi(this IEndpointRouteBuilder app)
    {
        var repository = app.MapOwnedProjectGroup("/repository", "Repository");
        repository.MapGet("/settings", GetAsync);
        repository.MapPut("/settings", UpdateAsync).WithValidation<RepositorySettingsRequest>();
        repository.MapPost("/retention", async (Guid projectId, RetentionRunner runner, CancellationToken cancellationToken, bool dryRun = false) =>
            TypedResults.Ok(await runner.RunAsync(projectId, dryRun, cancellationToken)));
        return app;
    }

    private static async Task<Ok<RepositorySettings>> GetAsync(Guid projectId, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(
            SelectSettings + " WHERE project_id = @projectId", new { projectId }, cancellationToken: cancellationToken)) ?? SettingsRow.Defaults;
        http.Response.SetETag(row.Version);
        return TypedResults.Ok(row.ToView());
    }

    private static async Task<Ok<RepositorySettings>> UpdateAsync(
        Guid projectId, RepositorySettingsRequest request, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        // With no row yet the caller saw the defaults as version 1, so inserting is the change from 1 to 2.
        var row = await connection.QuerySingleOrDefaultAsync<SettingsRow>(new CommandDefinition(
            """
            WITH updated AS (
                UPDATE repository_settings
                SET major_edit_threshold = @MajorEditThreshold, retention_keep_last = @KeepLast,
                    retention_hourly_for_hours = @HourlyForHours, retention_daily_for_days = @DailyForDays, version = version + 1
                WHERE project_id = @projectId AND version = @expected
                RETURNING *
            ), inserted AS (
                INSERT INTO repository_settings (project_id, major_edit_threshold, retention_keep_last, retention_hourly_for_hours, retention_daily_for_days, version)
                SELECT @projectId, @MajorEditThreshold, @KeepLast, @HourlyForHours, @DailyForDays, 2
                WHERE @expected = 1 AND NOT EXISTS (SELECT 1 FROM repository_settings WHERE project_id = @projectId)
                ON CONFLICT (project_id) DO NOTHING
                RETURNING *
            )
            SELECT major_edit_threshold AS MajorEditThreshold, retention_keep_last AS KeepLast, retention_hourly_for_hours AS HourlyForHours,
                   retention_daily_for_days AS DailyForDays, last_retention_run_at AS LastRetentionRunAt, version AS Version
            FROM (SELECT * FROM updated UNION ALL SELECT * FROM inserted) AS saved
            """,
            new
            {
                projectId,
                request.MajorEditThreshold,
                request.Retention.KeepLast,
                request.Retention.HourlyForHours,
                request.Retention.DailyForDays,
                expected,
            },
            cancellationToken: cancellationToken))
            ?? throw ProblemException.PreconditionFailed("The settings changed since you read them: read them again and reapply your change.");
        http.Response.SetETag(row.Version);
        return TypedResults.Ok(row.ToView());
    }

    private sealed class SettingsRow
    {
        public static readonly SettingsRow Defaults = new()
        {
            MajorEditThreshold = 0.30,
            KeepLast = RetentionPolicy.Default.KeepLast,
            HourlyForHours = (int)RetentionPolicy.Default.HourlyFor.TotalHours,
            DailyForDays = (int)RetentionPolicy.Default.DailyFor.TotalDays,
            Version = 1,
        };

        public double MajorEditThreshold { get; init; }
        public int KeepLast { get; init; }
        public int HourlyForHours { get; init; }
        public int DailyForDays { get; init; }
        public DateTime? LastRetentionRunAt { get; init; }
        public int Version { get; init; }

        public RepositorySettings ToView() => new(
            Math.Round(MajorEditThreshold, 4),
            new RetentionSettings(KeepLast, HourlyForHours, DailyForDays),
            LastRetentionRunAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null);
    }
}
