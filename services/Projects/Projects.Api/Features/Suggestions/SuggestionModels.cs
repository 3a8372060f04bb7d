using FluentValidation;

namespace Folio.Projects.Api.Features.Suggestions;

public static class SuggestionKinds
{
    public const string Appearance = "appearance";
    public const string UnknownName = "unknown_name";
    public const string TimelineFact = "timeline_fact";

    public static readonly string[] All = [Appearance, UnknownName, TimelineFact];
}

public static class SuggestionStatuses
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Dismissed = "dismissed";
}

/// <summary>
/// One thing Continuity read in a chapter at <see cref="Commit"/>. <see cref="Subject"/> is the character (appearance), the unknown name,
/// or the month's name (timeline fact); <see cref="ResultId"/> is what accepting it created or changed: the appearance, character or timeline event.
/// </summary>
public sealed record SuggestionResponse(
    Guid Id,
    Guid ChapterId,
    int ChapterNumber,
    string Commit,
    string Kind,
    string Subject,
    int? Month,
    int? Mentions,
    int Line,
    string Text,
    string Status,
    DateTime CreatedAt,
    DateTime? DecidedAt,
    Guid? ResultId)
{
    public const string Columns =
        """
        id AS Id, chapter_id AS ChapterId, chapter_number AS ChapterNumber, commit_id AS Commit, kind AS Kind, subject AS Subject, month AS Month,
        mentions AS Mentions, line AS Line, text AS Text, status AS Status, created_at AS CreatedAt, decided_at AS DecidedAt, result_id AS ResultId
        """;
}

public sealed record SuggestionListResponse(IReadOnlyList<SuggestionResponse> Items);

/// <summary>How to accept an unknown name: as a new <c>character</c>, or as an <c>alias</c> of the existing <see cref="CharacterId"/>. Other kinds need no body.</summary>
public sealed record AcceptSuggestionRequest(string? As, Guid? CharacterId);

public static class AcceptAs
{
    public const string Character = "character";
    public const string Alias = "alias";
}

internal sealed class AcceptSuggestionRequestValidator : AbstractValidator<AcceptSuggestionRequest>
{
    public AcceptSuggestionRequestValidator()
    {
        RuleFor(request => request.As).Must(value => value is null or AcceptAs.Character or AcceptAs.Alias).WithMessage("As is character or alias.");
        RuleFor(request => request.CharacterId).NotNull().NotEqual(Guid.Empty).When(request => request.As == AcceptAs.Alias)
            .WithMessage("An alias belongs to a character: give its id.");
        RuleFor(request => request.CharacterId).Null().When(request => request.As != AcceptAs.Alias).WithMessage("CharacterId is only for an alias.");
    }
}
