namespace Folio.Contracts.Projects;

/// <summary>The story bible changed; <paramref name="Fields"/> names what (synopsis, outline, …).</summary>
public sealed record StoryBibleUpdated(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, IReadOnlyList<string> Fields) : IIntegrationMessage;

public sealed record TimelineEventUpdated(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, Guid EventId, int Sequence, string Description, int? ChapterNumber, string? StoryTime, string? SortKey) : IIntegrationMessage;

public sealed record TimelineEventDeleted(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, Guid EventId) : IIntegrationMessage;
