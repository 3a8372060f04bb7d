namespace Folio.Contracts.Export;

/// <summary>Export's own work queue: build the file of export job <paramref name="JobId"/> (the job row holds the request).</summary>
public sealed record RunExport(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid JobId,
    Guid ProjectId) : IIntegrationMessage;
