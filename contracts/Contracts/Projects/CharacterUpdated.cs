namespace Folio.Contracts.Projects;

/// <summary>
/// A character of a book's effective bible was created or changed (<see cref="Change"/> is <c>created</c> or <c>updated</c>).
/// A series character is announced once per book of the series (<see cref="Source"/> <c>series</c>), so consumers reason per book.
/// </summary>
public sealed record CharacterUpdated(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid CharacterId,
    string Change,
    string Source,
    Guid? Overrides,
    string Name,
    IReadOnlyList<string> Aliases,
    string Role,
    IReadOnlyList<BibleFact> Facts) : IIntegrationMessage;
