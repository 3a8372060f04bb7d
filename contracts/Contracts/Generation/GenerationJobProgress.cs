namespace Folio.Contracts.Generation;

/// <summary>The job moved to <paramref name="Step"/> (brief, write, commit, check, revise, finish) of chapter <paramref name="ChapterNumber"/>.</summary>
public sealed record GenerationJobProgress(
    Guid MessageId, Guid CorrelationId, DateTimeOffset OccurredAt, Actor Actor,
    Guid JobId, Guid ProjectId, int ChapterNumber, string Step, int Percent) : IIntegrationMessage;
