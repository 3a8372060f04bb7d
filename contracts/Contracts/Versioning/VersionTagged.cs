namespace Folio.Contracts.Versioning;

public sealed record VersionTagged(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, string Version, string CommitId, string Status) : IIntegrationMessage;
