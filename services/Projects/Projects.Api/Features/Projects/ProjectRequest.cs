using System.Text.RegularExpressions;
using FluentValidation;

namespace Folio.Projects.Api.Features.Projects;

/// <summary>Every editable field of a book; create and full update (PUT) take the same shape.</summary>
public sealed record ProjectRequest(
    string Title,
    string? Subtitle,
    string? Genre,
    string? Language,
    int? TargetWordCount,
    string? Status,
    string? AuthorName,
    string? Publisher,
    string? Rights,
    string? Identifier,
    string? Description,
    IReadOnlyList<string>? Subjects);

public static class ProjectStatuses
{
    public const string Draft = "draft";

    public static readonly IReadOnlyList<string> All = [Draft, "in_progress", "complete", "published"];
}

internal sealed partial class ProjectRequestValidator : AbstractValidator<ProjectRequest>
{
    public ProjectRequestValidator()
    {
        RuleFor(request => request.Title).NotEmpty().MaximumLength(200);
        RuleFor(request => request.Subtitle).MaximumLength(300);
        RuleFor(request => request.Genre).MaximumLength(100);
        RuleFor(request => request.Language)
            .Matches("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$").WithMessage("Language must be a BCP 47 tag such as 'en' or 'en-GB'.")
            .When(request => request.Language is not null);
        RuleFor(request => request.TargetWordCount).InclusiveBetween(1, 5_000_000).When(request => request.TargetWordCount is not null);
        RuleFor(request => request.Status).Must(status => ProjectStatuses.All.Contains(status!))
            .When(request => request.Status is not null)
            .WithMessage($"Status must be one of: {string.Join(", ", ProjectStatuses.All)}.");
        RuleFor(request => request.AuthorName).MaximumLength(200);
        RuleFor(request => request.Publisher).MaximumLength(200);
        RuleFor(request => request.Rights).MaximumLength(1000);
        RuleFor(request => request.Description).MaximumLength(10_000);
        RuleFor(request => request.Identifier).MaximumLength(200).Must(BeAnIdentifier!)
            .When(request => !string.IsNullOrWhiteSpace(request.Identifier))
            .WithMessage("Identifier must be a valid ISBN-10 or ISBN-13 (checksum included), a URN (urn:…) or a UUID.");
        RuleFor(request => request.Subjects).Must(subjects => subjects!.Count <= 20).When(request => request.Subjects is not null)
            .WithMessage("At most 20 subjects.");
        RuleForEach(request => request.Subjects).NotEmpty().MaximumLength(100);
    }

    public static bool BeAnIdentifier(string identifier)
    {
        var value = identifier.Trim();
        if (value.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) || Guid.TryParse(value, out _))
        {
            return true;
        }

        var isbn = IsbnPrefix().Replace(value, "").Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return isbn.Length switch
        {
            10 => IsIsbn10(isbn),
            13 => IsIsbn13(isbn),
            _ => false,
        };
    }

    private static bool IsIsbn10(string isbn)
    {
        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            var c = isbn[i];
            int digit;
            if (char.IsAsciiDigit(c))
            {
                digit = c - '0';
            }
            else if (i == 9 && c is 'X' or 'x')
            {
                digit = 10;
            }
            else
            {
                return false;
            }

            sum += (10 - i) * digit;
        }

        return sum % 11 == 0;
    }

    private static bool IsIsbn13(string isbn) =>
        isbn.All(char.IsAsciiDigit) && isbn.Select((c, i) => (c - '0') * (i % 2 == 0 ? 1 : 3)).Sum() % 10 == 0;

    [GeneratedRegex("^(ISBN(-1[03])?:?\\s*)", RegexOptions.IgnoreCase)]
    private static partial Regex IsbnPrefix();
}
