using FluentValidation;
using Folio.Export.Core;

namespace Folio.Export.Api.Features.Exports;

/// <summary>
/// What to export: a book at a ref (branch, version tag or commit id; the default branch when left out), in a format,
/// all chapters or the listed ones, with layout options and an optional cover picture (a PNG or JPEG, base64).
/// </summary>
public sealed record ExportRequest(Guid ProjectId, string? Ref, string? Format, IReadOnlyList<Guid>? Chapters, ExportRequestOptions? Options, string? Cover = null)
{
    /// <summary>Covers are print-resolution pictures, not whole image libraries.</summary>
    public const int MaxCoverBytes = 5 * 1024 * 1024;

    /// <summary>The cover as a PNG or JPEG (told by its magic bytes), or null when there is none or it is not one.</summary>
    public CoverImage? DecodeCover()
    {
        if (string.IsNullOrEmpty(Cover) || Cover.Length > (MaxCoverBytes + 2) / 3 * 4)
        {
            return null;
        }

        var bytes = new byte[Cover.Length / 4 * 3];
        return Convert.TryFromBase64String(Cover, bytes, out var length) ? Core.CoverImage.From(bytes[..length]) : null;
    }
}

public sealed record ExportRequestOptions(bool? TitlePage, bool? TableOfContents, bool? PageNumbers, string? Font, double? FontSize, string? TrimSize);

/// <summary>The options a job runs with, every default filled in; stored with the job as JSON.</summary>
public sealed record JobOptions(bool TitlePage, bool TableOfContents, bool PageNumbers, string Font, double FontSize, string TrimSize)
{
    public static JobOptions From(ExportRequestOptions? request)
    {
        var defaults = new ExportOptions();
        return new JobOptions(
            request?.TitlePage ?? defaults.TitlePage,
            request?.TableOfContents ?? defaults.TableOfContents,
            request?.PageNumbers ?? defaults.PageNumbers,
            string.IsNullOrWhiteSpace(request?.Font) ? defaults.FontFamily : request.Font.Trim(),
            request?.FontSize ?? defaults.FontSize,
            Core.TrimSize.Find(request?.TrimSize ?? "")?.Name ?? defaults.TrimSize.Name);
    }

    public ExportOptions ToExportOptions() => new()
    {
        TitlePage = TitlePage,
        TableOfContents = TableOfContents,
        PageNumbers = PageNumbers,
        FontFamily = Font,
        FontSize = FontSize,
        TrimSize = Core.TrimSize.Find(TrimSize) ?? Core.TrimSize.Trade,
    };
}

internal sealed class ExportRequestValidator : AbstractValidator<ExportRequest>
{
    public ExportRequestValidator()
    {
        RuleFor(request => request.ProjectId).NotEmpty();
        RuleFor(request => request.Format).NotEmpty().Must(format => ExportFormats.Supported.Contains(format!.ToLowerInvariant()))
            .When(request => !string.IsNullOrEmpty(request.Format))
            .WithMessage($"Format must be one of: {string.Join(", ", ExportFormats.Supported)}.");
        RuleFor(request => request.Ref).MaximumLength(200).Must(reference => !reference!.Any(char.IsControl))
            .When(request => request.Ref is not null).WithMessage("Ref must be a branch, a version or a commit id.");
        RuleFor(request => request.Chapters).Must(chapters => chapters!.Count is > 0 and <= 2000)
            .When(request => request.Chapters is not null).WithMessage("Chapters lists between 1 and 2000 chapter ids; leave it out for the whole book.");
        RuleFor(request => request.Chapters).Must(chapters => chapters!.Distinct().Count() == chapters!.Count && !chapters.Contains(Guid.Empty))
            .When(request => request.Chapters is not null).WithMessage("Chapters lists each chapter id once.");
        RuleFor(request => request.Cover).Must(cover => cover!.Length <= (ExportRequest.MaxCoverBytes + 2) / 3 * 4)
            .When(request => request.Cover is not null).WithMessage($"The cover may be at most {ExportRequest.MaxCoverBytes / (1024 * 1024)} MB.").OverridePropertyName("cover");
        RuleFor(request => request.Cover).Must((request, _) => request.DecodeCover() is not null)
            .When(request => request.Cover is not null && request.Cover.Length <= (ExportRequest.MaxCoverBytes + 2) / 3 * 4)
            .WithMessage("The cover must be a PNG or JPEG picture, base64-encoded.").OverridePropertyName("cover");
        RuleFor(request => request.Format).Must(format => format!.ToLowerInvariant() is "epub" or "docx" or "pdf")
            .When(request => request.Cover is not null && !string.IsNullOrEmpty(request.Format))
            .WithMessage("A cover goes into epub, docx and pdf exports only.").OverridePropertyName("cover");
        RuleFor(request => request.Options!.FontSize).InclusiveBetween(6, 32).When(request => request.Options?.FontSize is not null)
            .OverridePropertyName("options.fontSize");
        RuleFor(request => request.Options!.Font).MaximumLength(100)
            .Must(font => font!.All(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_'))
            .When(request => request.Options?.Font is not null)
            .WithMessage("Font is a font family name: letters, digits, spaces and hyphens.").OverridePropertyName("options.font");
        RuleFor(request => request.Options!.TrimSize).Must(size => TrimSize.Find(size!) is not null)
            .When(request => request.Options?.TrimSize is not null)
            .WithMessage($"Trim size must be one of: {string.Join(", ", TrimSize.All.Select(size => size.Name))}.").OverridePropertyName("options.trimSize");
    }
}

public static class ExportFormats
{
    public static readonly IReadOnlyList<string> Supported = ["txt", "md", "docx", "epub", "pdf", "git"];
}
