using System.Text.Json;
using FluentValidation;
using Folio.Contracts;

namespace Folio.Projects.Api.Features.Chapters;

/// <summary>What the architect agent (or the writer) plans for a chapter.</summary>
public sealed record ChapterBrief(
    IReadOnlyList<string>? Beats, string? PointOfView, string? Setting, IReadOnlyList<string>? CharactersPresent, string? Goal, string? Notes);

public sealed record CreateChapterRequest(Guid? Id, int? Number, string Title, ChapterBrief? Brief, string? Status, int? TargetLength);

public sealed record UpdateChapterRequest(string Title, ChapterBrief? Brief, string Status, int? TargetLength);

public sealed record ReorderChaptersRequest(IReadOnlyList<Guid> ChapterIds);

public sealed record ChapterResponse(Guid Id, int Number, string Title, ChapterBrief? Brief, string Status, int? TargetLength, int Version, DateTime CreatedAt, DateTime UpdatedAt)
{
    public ChapterSnapshot Snapshot() => new(Number, Title, Brief, Status, TargetLength);

    /// <summary>What other services check the chapter's text against.</summary>
    public ChapterPlan? Plan() => Brief is null ? null : new(Brief.Beats ?? [], Brief.PointOfView);
}

public sealed record ChapterSnapshot(int Number, string Title, ChapterBrief? Brief, string Status, int? TargetLength);

public static class ChapterStatuses
{
    public static readonly IReadOnlyList<string> InOrder = ["not_started", "brief_complete", "written", "verified"];

    /// <summary>
    /// One step forward at a time (a chapter is briefed, then written, then verified), or back to any earlier step. An
    /// update that carries a brief with beats is the briefing step itself, so it may also mark the chapter written.
    /// </summary>
    public static bool CanMove(string from, string to, bool briefed)
    {
        var (a, b) = (IndexOf(from), IndexOf(to));
        return b <= a + 1 || (briefed && a < Briefed && b == Briefed + 1);
    }

    private static readonly int Briefed = IndexOf("brief_complete");

    private static int IndexOf(string status) => InOrder.ToList().IndexOf(status);
}

internal sealed class ChapterRow
{
    public const string Columns =
        "id AS Id, number AS Number, title AS Title, brief::text AS Brief, status AS Status, target_length AS TargetLength, version AS Version, created_at AS CreatedAt, updated_at AS UpdatedAt";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Guid Id { get; init; }
    public int Number { get; init; }
    public string Title { get; init; } = "";
    public string? Brief { get; init; }
    public string Status { get; init; } = "";
    public int? TargetLength { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public static string? BriefJson(ChapterBrief? brief) => brief is null ? null : JsonSerializer.Serialize(brief, Json);

    public ChapterResponse ToResponse() => new(
        Id, Number, Title, Brief is null ? null : JsonSerializer.Deserialize<ChapterBrief>(Brief, Json), Status, TargetLength, Version, CreatedAt, UpdatedAt);
}

internal sealed class ChapterBriefValidator : AbstractValidator<ChapterBrief>
{
    public ChapterBriefValidator()
    {
        RuleFor(brief => brief.Beats).Must(beats => beats!.Count <= 50).When(brief => brief.Beats is not null).WithMessage("At most 50 beats.");
        RuleForEach(brief => brief.Beats).NotEmpty().MaximumLength(2_000);
        RuleFor(brief => brief.PointOfView).MaximumLength(200);
        RuleFor(brief => brief.Setting).MaximumLength(500);
        RuleForEach(brief => brief.CharactersPresent).NotEmpty().MaximumLength(200);
        RuleFor(brief => brief.Goal).MaximumLength(2_000);
        RuleFor(brief => brief.Notes).MaximumLength(20_000);
    }
}

internal sealed class CreateChapterRequestValidator : AbstractValidator<CreateChapterRequest>
{
    public CreateChapterRequestValidator()
    {
        RuleFor(request => request.Title).NotEmpty().MaximumLength(300);
        RuleFor(request => request.Number).InclusiveBetween(1, 10_000).When(request => request.Number is not null);
        RuleFor(request => request.Status).Must(status => ChapterStatuses.InOrder.Contains(status!)).When(request => request.Status is not null)
            .WithMessage($"Status must be one of: {string.Join(", ", ChapterStatuses.InOrder)}.");
        RuleFor(request => request.TargetLength).InclusiveBetween(100, 100_000).When(request => request.TargetLength is not null);
        RuleFor(request => request.Id).NotEqual(Guid.Empty).When(request => request.Id is not null);
        RuleFor(request => request.Brief!).SetValidator(new ChapterBriefValidator()).When(request => request.Brief is not null);
    }
}

internal sealed class UpdateChapterRequestValidator : AbstractValidator<UpdateChapterRequest>
{
    public UpdateChapterRequestValidator()
    {
        RuleFor(request => request.Title).NotEmpty().MaximumLength(300);
        RuleFor(request => request.Status).Must(status => ChapterStatuses.InOrder.Contains(status))
            .WithMessage($"Status must be one of: {string.Join(", ", ChapterStatuses.InOrder)}.");
        RuleFor(request => request.TargetLength).InclusiveBetween(100, 100_000).When(request => request.TargetLength is not null);
        RuleFor(request => request.Brief!).SetValidator(new ChapterBriefValidator()).When(request => request.Brief is not null);
    }
}

internal sealed class ReorderChaptersRequestValidator : AbstractValidator<ReorderChaptersRequest>
{
    public ReorderChaptersRequestValidator()
    {
        RuleFor(request => request.ChapterIds).NotNull().Must(ids => ids.Distinct().Count() == ids.Count)
            .WithMessage("Each chapter may appear only once.");
    }
}
