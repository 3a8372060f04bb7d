using FluentValidation;

namespace Folio.Projects.Api.Features.Series;

public sealed record SeriesRequest(string Title, string? Description);

/// <summary>Without a sequence the book goes last; with one, the books from that place on move down one.</summary>
public sealed record AddBookRequest(Guid ProjectId, int? Sequence);

/// <summary>Every book of the series, first to last.</summary>
public sealed record ReorderBooksRequest(IReadOnlyList<Guid> ProjectIds);

internal sealed class SeriesRequestValidator : AbstractValidator<SeriesRequest>
{
    public SeriesRequestValidator()
    {
        RuleFor(request => request.Title).NotEmpty().MaximumLength(200);
        RuleFor(request => request.Description).MaximumLength(5000);
    }
}

internal sealed class AddBookRequestValidator : AbstractValidator<AddBookRequest>
{
    public AddBookRequestValidator()
    {
        RuleFor(request => request.ProjectId).NotEmpty();
        RuleFor(request => request.Sequence).GreaterThanOrEqualTo(1).When(request => request.Sequence is not null);
    }
}

internal sealed class ReorderBooksRequestValidator : AbstractValidator<ReorderBooksRequest>
{
    public ReorderBooksRequestValidator()
    {
        RuleFor(request => request.ProjectIds).NotNull()
            .Must(ids => ids is null || ids.Distinct().Count() == ids.Count).WithMessage("A book can have only one place in the order.");
        RuleForEach(request => request.ProjectIds).NotEmpty();
    }
}
