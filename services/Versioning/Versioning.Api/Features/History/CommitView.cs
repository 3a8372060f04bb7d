using Folio.Contracts.Versioning;

namespace Folio.Versioning.Api.Features.History;

public static class CommitKinds
{
    public const string Save = "save";
    public const string Complete = "complete";
    public const string MajorEdit = "major_edit";
    public const string Rollback = "rollback";
    public const string Merge = "merge";
    public const string Reorder = "reorder";
}

public sealed record CommitView(
    string Id,
    string TreeId,
    IReadOnlyList<string> Parents,
    string Kind,
    Author Author,
    string Message,
    Guid? CorrelationId,
    string? RestoredFrom,
    IReadOnlyList<ChapterChange> Changes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PrunedAt = null);
