namespace Folio.Contracts.Projects;

/// <summary>A book's metadata changed (Export reads it for title pages and package metadata).</summary>
public sealed record ProjectUpdated(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid OwnerId,
    string Title,
    string? Subtitle,
    string Language,
    string Status,
    string? AuthorName,
    string? Publisher,
    string? Rights,
    string? Identifier,
    string? Description,
    IReadOnlyList<string> Subjects) : IIntegrationMessage;
