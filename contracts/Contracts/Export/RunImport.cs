namespace Folio.Contracts.Export;

/// <summary>
/// Export's own work queue: replay the uploaded repository of import job <paramref name="JobId"/> into its book
/// (<paramref name="ProjectId"/> is <see cref="Guid.Empty"/> when the import creates the book).
/// </summary>
public sealed record RunImport(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid JobId,
    Guid ProjectId) : IIntegrationMessage;
