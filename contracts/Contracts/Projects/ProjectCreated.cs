namespace Folio.Contracts.Projects;

/// <summary>A writer created a book. Versioning opens its repository with a <c>main</c> branch.</summary>
public sealed record ProjectCreated(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid OwnerId,
    string Title,
    string Language) : IIntegrationMessage;
