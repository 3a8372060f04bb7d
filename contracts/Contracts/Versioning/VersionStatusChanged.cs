namespace Folio.Contracts.Versioning;

public sealed record VersionStatusChanged(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, string Version, string FromStatus, string ToStatus) : IIntegrationMessage;
