namespace Folio.Contracts.Versioning;

public sealed record MergeCompleted(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid ProjectId, string SourceBranch, string TargetBranch, string CommitId, int ResolvedConflicts) : IIntegrationMessage;
