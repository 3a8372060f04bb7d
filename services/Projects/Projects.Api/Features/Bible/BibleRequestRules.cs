using FluentValidation;
using Folio.Contracts.Projects;

namespace Folio.Projects.Api.Features.Bible;

public static class BibleRequestRules
{
    /// <summary>Reports <see cref="BibleFacts.Validate"/> errors as field errors of the request.</summary>
    public static void ValidFacts<T>(this IRuleBuilderInitial<T, IReadOnlyList<BibleFact>?> rule) =>
        rule.Custom((facts, context) =>
        {
            foreach (var error in BibleFacts.Validate(facts ?? []))
            {
                context.AddFailure(error.Field, error.Message);
            }
        });
}
