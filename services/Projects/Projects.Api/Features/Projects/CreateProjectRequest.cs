using FluentValidation;

namespace Folio.Projects.Api.Features.Projects;

public sealed record CreateProjectRequest(string Title, string? Subtitle, string? Genre, string? Language, int? TargetWordCount);

internal sealed class CreateProjectRequestValidator : AbstractValidator<CreateProjectRequest>
{
    public CreateProjectRequestValidator()
    {
        RuleFor(request => request.Title).NotEmpty().MaximumLength(200);
        RuleFor(request => request.Subtitle).MaximumLength(300);
        RuleFor(request => request.Genre).MaximumLength(100);
        RuleFor(request => request.Language)
            .Matches("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$").WithMessage("Language must be a BCP 47 tag such as 'en' or 'en-GB'.")
            .When(request => request.Language is not null);
        RuleFor(request => request.TargetWordCount).InclusiveBetween(1, 5_000_000).When(request => request.TargetWordCount is not null);
    }
}
