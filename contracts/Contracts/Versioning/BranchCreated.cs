namespace Folio.Contracts.Versioning;

public sealed record BranchCreated(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, string Branch, string? HeadCommitId) : IIntegrationMessage;
