using System.Text.Json.Serialization;
using FluentValidation;

namespace Folio.Projects.Api.Features.Settings;

public sealed record UserSettingsResponse(
    string DefaultProvider,
    string? DefaultModel,
    int AutosaveIntervalSeconds,
    string DefaultExportFormat,
    string TimeZone,
    int Version)
{
    /// <summary>What a caller who never saved settings sees; saving them the first time needs If-Match "1".</summary>
    public static readonly UserSettingsResponse Defaults = new("offline", null, 30, "md", "UTC", 1);

    public UserSettingsSnapshot Snapshot() => new(DefaultProvider, DefaultModel, AutosaveIntervalSeconds, DefaultExportFormat, TimeZone);
}

/// <summary>What the audit log compares: the settings without their version.</summary>
public sealed record UserSettingsSnapshot(string DefaultProvider, string? DefaultModel, int AutosaveIntervalSeconds, string DefaultExportFormat, string TimeZone);

public sealed record UpdateUserSettingsRequest(
    string DefaultProvider,
    string? DefaultModel,
    int AutosaveIntervalSeconds,
    string DefaultExportFormat,
    string TimeZone);

internal sealed class UpdateUserSettingsRequestValidator : AbstractValidator<UpdateUserSettingsRequest>
{
    public static readonly IReadOnlyList<string> Providers = ["offline", "anthropic", "openai-compatible"];

    public static readonly IReadOnlyList<string> ExportFormats = ["txt", "md", "docx", "epub", "pdf", "git"];

    public UpdateUserSettingsRequestValidator()
    {
        RuleFor(request => request.DefaultProvider).Must(Providers.Contains).WithMessage($"DefaultProvider must be one of: {string.Join(", ", Providers)}.");
        RuleFor(request => request.DefaultModel).MaximumLength(200);
        RuleFor(request => request.AutosaveIntervalSeconds).InclusiveBetween(5, 3600);
        RuleFor(request => request.DefaultExportFormat).Must(ExportFormats.Contains).WithMessage($"DefaultExportFormat must be one of: {string.Join(", ", ExportFormats)}.");
        RuleFor(request => request.TimeZone).Must(UserTimeZone.IsKnown).WithMessage("TimeZone must be an IANA time zone such as 'Europe/Berlin'.");
    }
}

public static class UserTimeZone
{
    public static bool IsKnown(string? id) => id is { Length: > 0 and <= 100 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    /// <summary>The saved zone, or UTC when the host no longer knows it (tzdata changes).</summary>
    public static TimeZoneInfo Find(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
