using FluentValidation;
using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Bible;

namespace Folio.Projects.Api.Features.Characters;

/// <summary>Creates or replaces a character. <see cref="Overrides"/> (book level only) names the series character it replaces in this book.</summary>
public sealed record CharacterRequest(
    string Name,
    IReadOnlyList<string>? Aliases,
    string? Description,
    string? Role,
    string? Arc,
    IReadOnlyList<string>? Traits,
    IReadOnlyList<BibleFact>? Facts,
    Guid? Overrides);

internal sealed class CharacterRequestValidator : AbstractValidator<CharacterRequest>
{
    public static readonly string[] Roles = ["protagonist", "antagonist", "deuteragonist", "supporting", "mentor", "love_interest", "foil", "minor", "other"];

    public CharacterRequestValidator()
    {
        RuleFor(request => request.Name).NotEmpty().MaximumLength(200);
        RuleFor(request => request.Aliases).Must(aliases => aliases is null || aliases.Count <= 50).WithMessage("At most 50 aliases.");
        RuleForEach(request => request.Aliases).NotEmpty().MaximumLength(200);
        RuleFor(request => request.Description).MaximumLength(20_000);
        RuleFor(request => request.Role).Must(role => role is null || Roles.Contains(role))
            .WithMessage($"Role is one of: {string.Join(", ", Roles)}.");
        RuleFor(request => request.Arc).MaximumLength(20_000);
        RuleFor(request => request.Traits).Must(traits => traits is null || traits.Count <= 100).WithMessage("At most 100 traits.");
        RuleForEach(request => request.Traits).NotEmpty().MaximumLength(200);
        RuleFor(request => request.Facts).ValidFacts();
        RuleFor(request => request.Overrides).NotEqual(Guid.Empty);
    }
}
