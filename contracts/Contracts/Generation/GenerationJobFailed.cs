namespace Folio.Contracts.Generation;

/// <summary>
/// The job stopped at chapter <paramref name="ChapterNumber"/> because of <paramref name="Reason"/>; its work was undone per
/// <paramref name="RollbackPolicy"/> (<c>chapter</c> or <c>job</c>) by the rollback commit <paramref name="RollbackCommitId"/> (null when nothing needed undoing).
/// </summary>
public sealed record GenerationJobFailed(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid JobId, Guid ProjectId, string Branch, int? ChapterNumber, string Reason, string RollbackPolicy, string? RollbackCommitId) : IIntegrationMessage;
