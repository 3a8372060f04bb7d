using FluentValidation;
using Folio.Continuity.Api.Features.Llm;
using Folio.Continuity.Core;

namespace Folio.Continuity.Api.Features.Checks;

public static class CheckTriggers
{
    public const string Request = "request";
    public const string Saga = "saga";
    public const string Revision = "revision";
    public const string Recheck = "recheck";
}

/// <summary>
/// One check run as writers and integrators see it; every violation carries its evidence and the fingerprint a waiver uses.
/// <paramref name="Llm"/> says how the LLM review went when the book has LLM checks on (null otherwise).
/// </summary>
public sealed record CheckRun(
    Guid Id,
    Guid ProjectId,
    Guid ChapterId,
    int ChapterNumber,
    string Ref,
    string Commit,
    string CheckType,
    string Trigger,
    string Status,
    int Words,
    IReadOnlyList<Violation> Violations,
    IReadOnlyList<string> PassedRules,
    int Waived,
    DateTime CreatedAt,
    LlmCheck? Llm = null);

/// <summary>Overrides what Projects holds for the chapter: its beats, point of view and target length (words).</summary>
public sealed record BriefRequest(IReadOnlyList<string>? Beats, string? PointOfView, int? TargetLength = null);

public sealed record RunCheckRequest(string? Ref, BriefRequest? Brief);

internal sealed class RunCheckRequestValidator : AbstractValidator<RunCheckRequest>
{
    public RunCheckRequestValidator()
    {
        RuleFor(request => request.Ref).NotEmpty().MaximumLength(200).When(request => request.Ref is not null);
        RuleFor(request => request.Brief!.Beats).Must(beats => beats!.Count <= 50).WithMessage("At most 50 beats.")
            .When(request => request.Brief?.Beats is not null);
        RuleForEach(request => request.Brief!.Beats).NotEmpty().MaximumLength(2_000).When(request => request.Brief?.Beats is not null);
        RuleFor(request => request.Brief!.PointOfView).MaximumLength(200).When(request => request.Brief is not null);
        RuleFor(request => request.Brief!.TargetLength).InclusiveBetween(1, 1_000_000).When(request => request.Brief?.TargetLength is not null);
    }
}

public sealed record ChapterStatus(Guid ChapterId, int Number, string Title, Guid? CheckId, string? Status, int? Violations, string? Commit, DateTime? CheckedAt, bool Stale);

public sealed record RuleCount(string Rule, int Violations, int Chapters);

public sealed record StaleChapter(Guid ChapterId, int Number, string Title, Guid CausedByChapterId, string CausedByCommit, IReadOnlyList<string> Shared, DateTime MarkedAt);

public sealed record RecheckResult(IReadOnlyList<CheckRun> Checks, IReadOnlyList<Guid> NotFound);

public sealed record ExtractionResponse(Guid ChapterId, int ChapterNumber, string Commit, IReadOnlyList<Appearance> Appearances, IReadOnlyList<UnknownName> UnknownNames,
    IReadOnlyList<EstablishedFact> Facts, IReadOnlyList<DatedStatement> Dates, DateTime ExtractedAt);
