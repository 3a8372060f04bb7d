namespace Folio.Contracts.Projects;

/// <summary>
/// A series a book belongs (or belonged) to changed: its title or its books and their order. Published once per affected
/// book; <see cref="Books"/> is empty when the series was deleted or this book left it.
/// </summary>
public sealed record SeriesUpdated(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid SeriesId,
    string Title,
    IReadOnlyList<SeriesBook> Books) : IIntegrationMessage;
