namespace Folio.Contracts.Export;

/// <summary>An export ended without a file; <paramref name="Reason"/> says why in words a writer can act on.</summary>
public sealed record ExportFailed(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid JobId,
    Guid ProjectId,
    Guid OwnerId,
    string Format,
    string Ref,
    string Reason) : IIntegrationMessage;
