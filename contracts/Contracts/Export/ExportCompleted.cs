namespace Folio.Contracts.Export;

/// <summary>An export's file is stored and can be downloaded until <paramref name="ExpiresAt"/>.</summary>
public sealed record ExportCompleted(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid JobId,
    Guid ProjectId,
    Guid OwnerId,
    string Format,
    string Ref,
    string CommitId,
    string FileName,
    long SizeBytes,
    DateTimeOffset ExpiresAt) : IIntegrationMessage;
