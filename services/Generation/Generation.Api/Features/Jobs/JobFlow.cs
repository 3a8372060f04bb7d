using Folio.Contracts;
using Folio.Contracts.Continuity;
using Folio.Contracts.Generation;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>
/// The saga's decisions, free of MassTransit: given the job and what its last step produced, which step comes next,
/// what is published, and which state the job is in afterwards (<see cref="JobStates"/>).
/// </summary>
public static class JobFlow
{
    private static readonly Actor Saga = Actor.System("generation-saga");

    public static string Start(GenerationJob job, DateTimeOffset now)
    {
        job.StartedAt = now;
        Issue(job, JobStep.Lock, now);
        return JobStates.Running;
    }

    public static string Succeeded(GenerationJob job, StepOutcome outcome, DateTimeOffset now)
    {
        var chapter = job.Chapter;
        switch (job.Step)
        {
            case JobStep.Lock:
                (job.LockToken, job.BaseHead, job.Head) = (outcome.LockToken, outcome.Head, outcome.Head);
                job.Outgoing.Add(new GenerationJobStarted(Guid.CreateVersion7(), job.CorrelationId, now, Saga, job.CorrelationId, job.ProjectId, job.Branch, job.BaseHead));
                return BeginChapter(job, now);
            case JobStep.Brief:
                return Next(job, job.Mode == JobModes.BriefOnly ? JobStep.Finish : JobStep.Write, now);
            case JobStep.Write:
                return Next(job, JobStep.Commit, now);
            case JobStep.Commit:
                (chapter!.CommitId, chapter.Words, job.Head) = (outcome.CommitId, outcome.Words, outcome.Head);
                if (job.ContinuityPolicy == ContinuityPolicies.Off)
                {
                    chapter.Continuity = "skipped: continuity policy is off";
                    return Next(job, JobStep.Finish, now);
                }

                return Next(job, JobStep.Check, now);
            case JobStep.Finish:
                chapter!.Status = "done";
                chapter.FinishedAt = now;
                job.Outgoing.Add(new ChapterGenerated(Guid.CreateVersion7(), job.CorrelationId, now, Saga, job.CorrelationId, job.ProjectId,
                    chapter.Number, chapter.ChapterId, chapter.CommitId ?? "", chapter.Words, chapter.Continuity ?? "skipped"));
                job.Current++;
                return job.Chapter is null ? Issue(job, JobStep.Release, now) : BeginChapter(job, now);
            case JobStep.Rollback:
                job.RollbackCommitId = outcome.CommitId;
                job.Head = outcome.Head ?? job.Head;
                foreach (var undone in UndoneChapters(job))
                {
                    undone.Status = "rolled_back";
                }

                return Issue(job, JobStep.Release, now);
            case JobStep.Release:
                job.LockToken = null;
                return Finish(job, now);
            default:
                return JobStates.Running;
        }
    }

    /// <summary>Continuity's verdict on the chapter just committed: go on, revise (within the policy's bound) or stop for a human.</summary>
    public static string Checked(GenerationJob job, ChapterContinuityChecked answer, DateTimeOffset now)
    {
        var chapter = job.Chapter!;
        chapter.Continuity = answer.Status;
        chapter.Findings = answer.Findings.Select(finding => $"{finding.Rule} (line {finding.Line}): {finding.Description}{(finding.Suggestion is null ? "" : $" — {finding.Suggestion}")}").ToList();
        var wantsRevision = answer.Verdict == "revise" || (answer.Verdict == "stop" && job.ContinuityPolicy == ContinuityPolicies.Revise);
        if (wantsRevision && job.ContinuityPolicy == ContinuityPolicies.Revise && chapter.Revisions < job.MaxRevisions)
        {
            chapter.Revisions++;
            return Next(job, JobStep.Write, now);
        }

        if (answer.Verdict == "stop" || (wantsRevision && job.ContinuityPolicy == ContinuityPolicies.Revise))
        {
            return Compensate(job, $"Continuity found errors in chapter {chapter.Number} that {(chapter.Revisions > 0 ? $"{chapter.Revisions} revision(s) did not fix" : "need a human")}: {string.Join("; ", chapter.Findings.Take(3))}", now);
        }

        return Next(job, JobStep.Finish, now);
    }

    public static string Failed(GenerationJob job, StepFailure failure, DateTimeOffset now)
    {
        if (job.Step == JobStep.Lock)
        {
            if (failure.BranchBusy)
            {
                // Someone outside this service holds the branch: wait in the queue and try again later.
                job.Chapters.ForEach(chapter => chapter.Note = failure.Reason);
                return JobStates.Queued;
            }

            job.StopReason = failure.Reason;
            return Finish(job, now);
        }

        if (job.Step is JobStep.Rollback or JobStep.Release)
        {
            // Compensation itself failed for good: say so; an unreleased lock expires on its own.
            job.StopReason = $"{job.StopReason} (then {job.Step.ToString().ToLowerInvariant()} failed: {failure.Reason})";
            return job.Step == JobStep.Rollback ? Issue(job, JobStep.Release, now) : Finish(job, now);
        }

        return Compensate(job, failure.Reason, now);
    }

    /// <summary>A step that never answered is issued again; a continuity check that never answered is skipped, visibly.</summary>
    public static string TimedOut(GenerationJob job, DateTimeOffset now)
    {
        if (job.Step == JobStep.Check)
        {
            job.Chapter!.Continuity = "skipped: the continuity service did not answer in time";
            return Next(job, JobStep.Finish, now);
        }

        return Issue(job, job.Step, now);
    }

    /// <summary>Takes effect at the next step boundary, so a step in flight is never cut in half.</summary>
    public static void RequestCancel(GenerationJob job) => job.CancelRequested = true;

    public static string CancelQueued(GenerationJob job, DateTimeOffset now)
    {
        job.CancelRequested = true;
        job.StopReason = "cancelled by the writer";
        return Finish(job, now);
    }

    private static string BeginChapter(GenerationJob job, DateTimeOffset now)
    {
        job.ChapterBaseHead = job.Head;
        job.Chapter!.StartedAt = now;
        return Next(job, job.Mode == JobModes.ChapterOnly ? JobStep.Write : JobStep.Brief, now);
    }

    private static string Next(GenerationJob job, JobStep step, DateTimeOffset now) =>
        job.CancelRequested ? Compensate(job, "cancelled by the writer", now) : Issue(job, step, now);

    private static string Compensate(GenerationJob job, string reason, DateTimeOffset now)
    {
        job.StopReason = reason;
        if (job.Chapter is { } chapter)
        {
            chapter.Status = "failed";
            chapter.Note = reason;
        }

        var undoFrom = job.RollbackPolicy == RollbackPolicies.Job ? job.BaseHead : job.ChapterBaseHead;
        return Issue(job, undoFrom == job.Head ? JobStep.Release : JobStep.Rollback, now);
    }

    /// <summary>The chapters whose commits a rollback of <paramref name="job"/> takes back, as its policy says.</summary>
    public static IEnumerable<JobChapter> UndoneChapters(GenerationJob job) => job.RollbackPolicy == RollbackPolicies.Job
        ? job.Chapters.Where(chapter => chapter.CommitId is not null)
        : job.Chapter is { CommitId: not null } current ? [current] : [];

    /// <summary>
    /// Whether the outcome of the step <paramref name="job"/> just ran can wait for the next step's checkpoint: a commit
    /// with the finish straight after it (no continuity check between). Redoing the two after a crash costs nothing and
    /// changes nothing (Versioning answers a repeated idempotency key with the first commit; the finish finds the chapter
    /// recorded), so one checkpoint covers both. Brief and write keep their own: each holds a model's answer.
    /// </summary>
    public static bool SettlesWithNext(GenerationJob job) =>
        job is { Step: JobStep.Commit, ContinuityPolicy: ContinuityPolicies.Off, CancelRequested: false };

    /// <summary>
    /// Keeps the step just issued in the delivery of step command <paramref name="deliveryTicket"/> instead of sending it
    /// through the broker: that delivery runs it next, and a redelivery of that command (after a crash) resumes it.
    /// </summary>
    public static bool RunInDelivery(GenerationJob job, int deliveryTicket)
    {
        if (job.Outgoing.OfType<RunJobStep>().LastOrDefault() is not { } next)
        {
            return false;
        }

        job.Outgoing.Remove(next);
        job.RunsInDeliveryOf = deliveryTicket;
        return true;
    }

    private static string Issue(GenerationJob job, JobStep step, DateTimeOffset now)
    {
        job.Step = step;
        job.Ticket++;
        job.RunsInDeliveryOf = null;
        var chapter = job.Chapter;
        var number = chapter?.Number ?? 0;
        if (chapter is not null && step is JobStep.Brief or JobStep.Write or JobStep.Commit or JobStep.Check or JobStep.Finish)
        {
            chapter.Status = step == JobStep.Write && chapter.Revisions > 0 ? "revise" : step.ToString().ToLowerInvariant();
            job.Outgoing.Add(new GenerationJobProgress(Guid.CreateVersion7(), job.CorrelationId, now, Saga, job.CorrelationId, job.ProjectId,
                number, chapter.Status, job.Percent));
        }

        job.Outgoing.Add(new RunJobStep(Guid.CreateVersion7(), job.CorrelationId, now, Saga, job.CorrelationId, job.Ticket, step, number));
        return job.StopReason is null ? JobStates.Running : JobStates.Compensating;
    }

    private static string Finish(GenerationJob job, DateTimeOffset now)
    {
        job.FinishedAt = now;
        var stoppedAt = job.Chapter?.Number;
        if (job.StopReason is null)
        {
            job.Outgoing.Add(new GenerationJobCompleted(Guid.CreateVersion7(), job.CorrelationId, now, Saga, job.CorrelationId, job.ProjectId, job.Branch,
                job.Chapters.Count, job.Head));
            return JobStates.Completed;
        }

        if (job.CancelRequested)
        {
            job.Outgoing.Add(new GenerationJobCancelled(Guid.CreateVersion7(), job.CorrelationId, now, Saga, job.CorrelationId, job.ProjectId, job.Branch,
                stoppedAt, job.RollbackPolicy, job.RollbackCommitId));
            return JobStates.Cancelled;
        }

        job.Outgoing.Add(new GenerationJobFailed(Guid.CreateVersion7(), job.CorrelationId, now, Saga, job.CorrelationId, job.ProjectId, job.Branch,
            stoppedAt, job.StopReason, job.RollbackPolicy, job.RollbackCommitId));
        return JobStates.Failed;
    }
}

public static class JobStates
{
    public const string Queued = nameof(Queued);
    public const string Running = nameof(Running);
    public const string Compensating = nameof(Compensating);
    public const string Completed = nameof(Completed);
    public const string Failed = nameof(Failed);
    public const string Cancelled = nameof(Cancelled);

    public static bool Ended(string state) => state is Completed or Failed or Cancelled;
}
