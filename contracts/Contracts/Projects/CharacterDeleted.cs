namespace Folio.Contracts.Projects;

/// <summary>A character left a book's bible. When it was an override, the series character it replaced applies again.</summary>
public sealed record CharacterDeleted(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid CharacterId,
    string Source,
    Guid? Overrides) : IIntegrationMessage;
