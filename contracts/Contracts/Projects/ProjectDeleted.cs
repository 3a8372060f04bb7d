namespace Folio.Contracts.Projects;

/// <summary>A writer deleted a book: every service removes what it holds for it.</summary>
public sealed record ProjectDeleted(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid OwnerId) : IIntegrationMessage;
