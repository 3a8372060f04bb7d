namespace Folio.Contracts.Projects;

/// <summary>
/// A world entry (place, organisation, object, concept, other) of a book's effective bible was created, updated or deleted
/// (<see cref="Change"/>). Series entries are announced once per book of the series.
/// </summary>
public sealed record WorldEntryUpdated(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid EntryId,
    string Change,
    string Source,
    Guid? Overrides,
    string Kind,
    string Name,
    IReadOnlyList<BibleFact> Facts) : IIntegrationMessage;
