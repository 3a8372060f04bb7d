using System.Text.Json.Serialization;
using Folio.Contracts;
using Folio.Generation.Api.Features.Agents;
using MassTransit;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>What a job does per chapter: plan it, write it from the existing plan, or both.</summary>
public static class JobModes
{
    public const string Both = "both";
    public const string BriefOnly = "brief";
    public const string ChapterOnly = "chapter";
}

public static class ContinuityPolicies
{
    public const string Off = "off";
    public const string Check = "check";
    public const string Revise = "revise";
}

public static class RollbackPolicies
{
    /// <summary>Keep finished chapters; undo only the one in progress.</summary>
    public const string Chapter = "chapter";

    /// <summary>Undo everything the job committed: the branch ends as it was before the job.</summary>
    public const string Job = "job";
}

/// <summary>The steps of one chapter, strictly in this order, and the job's own steps around them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStep>))]
public enum JobStep
{
    Lock,
    Brief,
    Write,
    Commit,
    Check,
    Finish,
    Rollback,
    Release,
}

/// <summary>
/// One requested chapter and how it went. A record, so a step's changes show against a copy taken when the chapter was
/// last read or written (<see cref="GenerationJob.StoredChapters"/>) without serialising every chapter of the job.
/// </summary>
public sealed record JobChapter
{
    public int Number { get; set; }

    public Guid ChapterId { get; set; }

    public string Title { get; set; } = "";

    /// <summary>The chapter's status in Projects when the job was queued: what a rollback of the chapter puts back.</summary>
    public string? PlannedStatus { get; set; }

    /// <summary>pending, brief, write, commit, check, finish, done, failed, rolled_back.</summary>
    public string Status { get; set; } = "pending";

    /// <summary>Revisions made after continuity findings; each one is a new commit attempt.</summary>
    public int Revisions { get; set; }

    public string? CommitId { get; set; }

    public int Words { get; set; }

    /// <summary>pass, warning, error, or skipped with why (policy off, Continuity not answering).</summary>
    public string? Continuity { get; set; }

    public string? Note { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The last continuity findings, handed to the writer when it revises; replaced, never changed in place, so equality sees it.</summary>
    public IReadOnlyList<string> Findings { get; set; } = [];
}

/// <summary>
/// The generation saga's state, persisted by <see cref="Saga.JobRows"/>: a generation_jobs row and a job_chapters row per
/// chapter. Every step command and stall nudge carries <see cref="Ticket"/>; one with another ticket is stale and ignored.
/// </summary>
public sealed class GenerationJob : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    public Guid OwnerId { get; set; }

    public Guid ProjectId { get; set; }

    public string Branch { get; set; } = "main";

    public string Mode { get; set; } = JobModes.Both;

    public string ContinuityPolicy { get; set; } = ContinuityPolicies.Off;

    public int MaxRevisions { get; set; }

    public string RollbackPolicy { get; set; } = RollbackPolicies.Chapter;

    public string? Provider { get; set; }

    public string? Model { get; set; }

    public int Seed { get; set; }

    public Guid? ResumedFrom { get; set; }

    /// <summary>Kept in rows of their own (<c>job_chapters.state</c>), so a step rewrites only the chapters it changed.</summary>
    [JsonIgnore]
    public List<JobChapter> Chapters { get; set; } = [];

    /// <summary>A copy of each chapter as last read or written, to tell which ones a step changed.</summary>
    [JsonIgnore]
    public Dictionary<int, JobChapter> StoredChapters { get; } = [];

    public int Current { get; set; }

    public JobStep Step { get; set; }

    public int Ticket { get; set; }

    /// <summary>
    /// Set when the current step was not sent as a command but runs in the delivery of the command with this ticket,
    /// right after the step before it; a redelivery of that command resumes the job at the current step.
    /// </summary>
    public int? RunsInDeliveryOf { get; set; }

    public string? LockToken { get; set; }

    /// <summary>The branch head before the job: what <c>job</c> rollback restores.</summary>
    public string? BaseHead { get; set; }

    /// <summary>The branch head as the job last left it: the expected head of its next commit.</summary>
    public string? Head { get; set; }

    /// <summary>The head before the chapter in progress was first committed: what <c>chapter</c> rollback restores it from.</summary>
    public string? ChapterBaseHead { get; set; }

    public bool CancelRequested { get; set; }

    public string? StopReason { get; set; }

    public string? RollbackCommitId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Messages to publish once this state is saved: the repository writes them to the outbox in the same transaction.</summary>
    [JsonIgnore]
    public List<IIntegrationMessage> Outgoing { get; } = [];

    /// <summary>Agent runs of the step in hand, saved with its outcome.</summary>
    [JsonIgnore]
    public List<AgentRun> UnsavedRuns { get; } = [];

    /// <summary>Summaries the step in hand wrote (by content id), saved with its outcome.</summary>
    [JsonIgnore]
    public Dictionary<string, string> UnsavedSummaries { get; } = [];

    /// <summary>
    /// The drafts of the chapter in hand as this process saved them, so the steps after the one that wrote them need not
    /// read them back. A job read from the database has none (another process may have written newer ones).
    /// </summary>
    [JsonIgnore]
    public (int Chapter, ChapterDraft Draft)? SavedDraft { get; private set; }

    [JsonIgnore]
    public JobChapter? Chapter => Current < Chapters.Count ? Chapters[Current] : null;

    public void KeepDraft(int chapter, ChapterDraft draft) => SavedDraft = SavedDraft is ({ } number, var held) && number == chapter
        ? (chapter, new ChapterDraft(draft.Brief ?? held.Brief, draft.Text ?? held.Text, draft.Context ?? held.Context))
        : (chapter, draft);

    /// <summary>The draft's <paramref name="part"/> for the chapter if this process saved it, else null (read it from the database).</summary>
    public string? Saved(JobChapter chapter, Func<ChapterDraft, string?> part) =>
        SavedDraft is ({ } number, var held) && number == chapter.Number ? part(held) : null;

    [JsonIgnore]
    public int Percent => Chapters.Count == 0 ? 100 : (int)Math.Round(100.0 * Chapters.Count(chapter => chapter.Status == "done") / Chapters.Count);
}
