using System.Text.Json;
using Dapper;
using FluentValidation;
using Folio.Continuity.Core;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using ProjectionJson = Folio.Continuity.Api.Features.Projection.Projection;

namespace Folio.Continuity.Api.Features.Settings;

public sealed record RuleSettingView(bool Enabled, string? Severity);

/// <summary>A book's continuity settings: the style the narration keeps, banned phrases, thresholds, per-rule switches and severities,
/// whether a change re-checks the chapters it makes stale at once (<see cref="AutoRecheck"/>) or only on request, and whether every check also
/// asks Generation's continuity reviewer (<see cref="LlmChecks"/>, off unless turned on).</summary>
public sealed record ContinuitySettings(
    string PointOfView, string Tense, IReadOnlyList<string> BannedPhrases, int RepetitionThreshold, double LengthTolerance, bool AutoRecheck,
    IReadOnlyDictionary<string, RuleSettingView> Rules, bool LlmChecks = false);

internal sealed class ContinuitySettingsValidator : AbstractValidator<ContinuitySettings>
{
    public ContinuitySettingsValidator()
    {
        RuleFor(settings => settings.PointOfView).NotEmpty().MaximumLength(200);
        RuleFor(settings => settings.Tense).Must(tense => tense is "past" or "present").WithMessage("Tense is 'past' or 'present'.");
        RuleFor(settings => settings.BannedPhrases).NotNull().Must(phrases => phrases.Count <= 500).WithMessage("At most 500 banned phrases.");
        RuleForEach(settings => settings.BannedPhrases).NotEmpty().MaximumLength(200);
        RuleFor(settings => settings.RepetitionThreshold).InclusiveBetween(2, 100);
        RuleFor(settings => settings.LengthTolerance).InclusiveBetween(0.05, 10);
        RuleFor(settings => settings.Rules).NotNull();
        RuleForEach(settings => settings.Rules).Must(rule => ContinuityChecker.Rules.Any(known => known.Id == rule.Key))
            .WithMessage(rule => $"Unknown rule. Rules: {string.Join(", ", ContinuityChecker.Rules.Select(known => known.Id))}.");
        RuleForEach(settings => settings.Rules).Must(rule => rule.Value is not null && (rule.Value.Severity is null || Severities.All.Contains(rule.Value.Severity)))
            .WithMessage($"Severity is one of: {string.Join(", ", Severities.All)}.");
    }
}

public static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapOwnedProjectGroup("/continuity/settings", "Continuity");
        group.MapGet("/", GetAsync);
        group.MapPut("/", PutAsync).WithValidation<ContinuitySettings>();
        return app;
    }

    private sealed record Row(string PointOfView, string Tense, string BannedPhrases, int RepetitionThreshold, double LengthTolerance, bool AutoRecheck, bool LlmChecks);

    private static async Task<Ok<ContinuitySettings>> GetAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await ReadAsync(connection, projectId, cancellationToken));
    }

    private static async Task<Ok<ContinuitySettings>> PutAsync(Guid projectId, ContinuitySettings settings, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE projects SET point_of_view = @PointOfView, tense = @Tense, banned_phrases = @Banned::jsonb, repetition_threshold = @RepetitionThreshold,
                                length_tolerance = @LengthTolerance, auto_recheck = @AutoRecheck, llm_checks = @LlmChecks
            WHERE project_id = @projectId;
            DELETE FROM rule_settings WHERE project_id = @projectId;
            INSERT INTO rule_settings (project_id, rule_id, enabled, severity) SELECT @projectId, rule.id, rule.enabled, rule.severity
            FROM unnest(@RuleIds, @Enabled, @RuleSeverities) AS rule(id, enabled, severity);
            """,
            new
            {
                projectId, settings.PointOfView, settings.Tense, Banned = JsonSerializer.Serialize(settings.BannedPhrases, ProjectionJson.Json),
                settings.RepetitionThreshold, settings.LengthTolerance, settings.AutoRecheck, settings.LlmChecks,
                RuleIds = settings.Rules.Keys.ToArray(), Enabled = settings.Rules.Values.Select(rule => rule.Enabled).ToArray(),
                RuleSeverities = settings.Rules.Values.Select(rule => rule.Severity).ToArray(),
            },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(await ReadAsync(connection, projectId, cancellationToken));
    }

    private static async Task<ContinuitySettings> ReadAsync(NpgsqlConnection connection, Guid projectId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            """
            SELECT point_of_view AS PointOfView, tense AS Tense, banned_phrases::text AS BannedPhrases, repetition_threshold AS RepetitionThreshold,
                   length_tolerance AS LengthTolerance, auto_recheck AS AutoRecheck, llm_checks AS LlmChecks
            FROM projects WHERE project_id = @projectId
            """,
            new { projectId }, cancellationToken: cancellationToken));
        var rules = await connection.QueryAsync<(string Id, bool Enabled, string? Severity)>(new CommandDefinition(
            "SELECT rule_id, enabled, severity FROM rule_settings WHERE project_id = @projectId", new { projectId }, cancellationToken: cancellationToken));
        return new ContinuitySettings(row.PointOfView, row.Tense, JsonSerializer.Deserialize<List<string>>(row.BannedPhrases, ProjectionJson.Json)!,
            row.RepetitionThreshold, row.LengthTolerance, row.AutoRecheck, rules.ToDictionary(rule => rule.Id, rule => new RuleSettingView(rule.Enabled, rule.Severity)), row.LlmChecks);
    }
}
