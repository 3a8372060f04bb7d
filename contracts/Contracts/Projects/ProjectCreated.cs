namespace Folio.Contracts.Projects;

/// <summary>
/// A writer created a book. Versioning opens its repository with a <c>main</c> branch; Export keeps the metadata for
/// title pages and packages (the fields after <see cref="Language"/> were added for it and are null from older senders).
/// </summary>
public sealed record ProjectCreated(
    Guid MessageId,
    Guid CorrelationId,
    DateTimeOffset OccurredAt,
    Actor Actor,
    Guid ProjectId,
    Guid OwnerId,
    string Title,
    string Language,
    string? Subtitle = null,
    string? AuthorName = null,
    string? Publisher = null,
    string? Rights = null,
    string? Identifier = null,
    string? Description = null,
    IReadOnlyList<string>? Subjects = null) : IIntegrationMessage;
