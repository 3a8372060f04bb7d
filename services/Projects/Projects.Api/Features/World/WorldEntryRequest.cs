using FluentValidation;
using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Bible;

namespace Folio.Projects.Api.Features.World;

/// <summary>Creates or replaces a world entry. <see cref="Overrides"/> (book level only) names the series entry it replaces in this book.</summary>
public sealed record WorldEntryRequest(string Kind, string Name, string? Description, IReadOnlyList<BibleFact>? Facts, Guid? Overrides);

internal sealed class WorldEntryRequestValidator : AbstractValidator<WorldEntryRequest>
{
    public static readonly string[] Kinds = ["place", "organisation", "object", "concept", "other"];

    public WorldEntryRequestValidator()
    {
        RuleFor(request => request.Kind).Must(kind => Kinds.Contains(kind)).WithMessage($"Kind is one of: {string.Join(", ", Kinds)}.");
        RuleFor(request => request.Name).NotEmpty().MaximumLength(200);
        RuleFor(request => request.Description).MaximumLength(20_000);
        RuleFor(request => request.Facts).ValidFacts();
        RuleFor(request => request.Overrides).NotEqual(Guid.Empty);
    }
}
