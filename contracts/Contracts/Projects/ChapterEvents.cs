namespace Folio.Contracts.Projects;

/// <summary>A chapter (metadata) was added at <paramref name="Number"/>; later chapters moved down by one.</summary>
public sealed record ChapterAdded(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, Guid ChapterId, int Number, string Title, ChapterPlan? Brief = null, int? TargetLength = null) : IIntegrationMessage;

/// <summary>A chapter's metadata changed; <paramref name="Brief"/> is null when the chapter has no brief (any more).</summary>
public sealed record ChapterUpdated(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, Guid ChapterId, int Number, string Title, string Status, int? TargetLength, ChapterPlan? Brief = null) : IIntegrationMessage;

/// <summary>A chapter was removed; later chapters moved up by one.</summary>
public sealed record ChapterDeleted(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, Guid ChapterId) : IIntegrationMessage;

public sealed record ChapterPosition(Guid ChapterId, int Number);

/// <summary>The book's chapter order after a reorder, insert or delete: every chapter with its number.</summary>
public sealed record ChaptersReordered(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, IReadOnlyList<ChapterPosition> Order) : IIntegrationMessage;
