using FluentValidation;

namespace Folio.Projects.Api.Features.Appearances;

/// <summary>
/// A character in a chapter. Writers record <c>manual</c> appearances (accepted as given); the continuity extractor
/// records <c>extraction</c> ones, which stay suggestions until the writer accepts or rejects them.
/// </summary>
public sealed record AppearanceRequest(Guid CharacterId, int Chapter, string Role, string? EmotionalState, string? Source);

internal sealed class AppearanceRequestValidator : AbstractValidator<AppearanceRequest>
{
    public static readonly string[] Roles = ["pov", "present", "mentioned"];

    public static readonly string[] Sources = ["manual", "extraction"];

    public AppearanceRequestValidator()
    {
        RuleFor(request => request.CharacterId).NotEmpty();
        RuleFor(request => request.Chapter).GreaterThanOrEqualTo(1);
        RuleFor(request => request.Role).Must(role => Roles.Contains(role)).WithMessage("Role is pov, present or mentioned.");
        RuleFor(request => request.EmotionalState).MaximumLength(500);
        RuleFor(request => request.Source).Must(source => source is null || Sources.Contains(source)).WithMessage("Source is manual or extraction.");
    }
}

public sealed record AppearanceResponse(
    Guid Id,
    Guid CharacterId,
    int Chapter,
    string Role,
    string? EmotionalState,
    string Source,
    string Status,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    internal AppearanceSnapshot Snapshot() => new(CharacterId, Chapter, Role, EmotionalState, Source, Status);
}

public sealed record AppearanceListResponse(IReadOnlyList<AppearanceResponse> Items);

internal sealed record AppearanceSnapshot(Guid CharacterId, int Chapter, string Role, string? EmotionalState, string Source, string Status);
