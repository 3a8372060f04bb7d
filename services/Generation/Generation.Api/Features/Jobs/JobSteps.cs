using System.Text.Json;
using Dapper;
using Folio.Contracts;
using Folio.Contracts.Continuity;
using Folio.Contracts.Grpc.Versioning;
using Folio.Generation.Api.Features.Agents;
using Folio.Generation.Api.Features.Books;
using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Api.Features.Settings;
using Folio.Generation.Core.Agents;
using MassTransit;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace Folio.Generation.Api.Features.Jobs;

/// <summary>A step failed in a way trying again cannot fix (the saga compensates); anything else is retried.</summary>
public sealed class StepFailedException(string reason, bool branchBusy = false, Exception? inner = null) : Exception(reason, inner)
{
    public bool BranchBusy { get; } = branchBusy;
}

/// <summary>
/// The work of each step. Every step can be run twice (a redelivery after a crash) without doing it twice: briefs and
/// texts are stored per chapter, commits carry an idempotency key (job, chapter, attempt), rollbacks one per job.
/// </summary>
public sealed class JobSteps(
    NpgsqlDataSource db, StoryAgents agents, ModelSettingsResolver models, ProjectsBook projects, Manuscript manuscript,
    BookSource books, ChapterSummaries summaries, IMemoryCache cache)
{
    private const int DefaultTargetWords = 1500;

    /// <summary>A quarter of the lease: a step renews only when the lease is this old, so a fast job does not renew at every step.</summary>
    private static readonly TimeSpan RenewAfter = TimeSpan.FromSeconds(Manuscript.LockSeconds / 4.0);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan ModelLifetime = TimeSpan.FromSeconds(30);

    /// <returns>The outcome, or null for a step whose answer comes from elsewhere (the continuity check).</returns>
    public async Task<StepOutcome?> RunAsync(GenerationJob job, ConsumeContext context, CancellationToken cancellationToken)
    {
        var chapter = job.Chapter;
        switch (job.Step)
        {
            case JobStep.Lock:
                return await LockAsync(job, cancellationToken);
            case JobStep.Brief:
                return new StepOutcome(Draft: await WhileLeasedAsync(job, () => BriefAsync(job, chapter!, cancellationToken), cancellationToken));
            case JobStep.Write:
                return new StepOutcome(Draft: await WhileLeasedAsync(job, () => WriteAsync(job, chapter!, cancellationToken), cancellationToken));
            case JobStep.Commit:
                return await CommitAsync(job, chapter!, cancellationToken);
            case JobStep.Check:
                var written = await StoredBriefAsync(job, chapter!, cancellationToken);
                await context.Publish(new CheckChapterContinuity(
                    Guid.CreateVersion7(), job.CorrelationId, DateTimeOffset.UtcNow, Actor.System("generation-saga"), Guid.CreateVersion7(),
                    job.OwnerId, job.ProjectId, job.Branch, chapter!.CommitId!, chapter.ChapterId, chapter.Number,
                    written is null ? null : new ChapterPlan(written.Beats, written.PointOfView), written?.TargetWords), cancellationToken);
                return null;
            case JobStep.Finish:
                await FinishAsync(job, chapter!, cancellationToken);
                return new StepOutcome();
            case JobStep.Rollback:
                return await RollbackAsync(job, cancellationToken);
            case JobStep.Release:
                if (job.LockToken is not null)
                {
                    await manuscript.ReleaseLockAsync(job.OwnerId, job.ProjectId, job.Branch, job.LockToken, cancellationToken);
                }

                return new StepOutcome();
            default:
                throw new StepFailedException($"Unknown step {job.Step}.");
        }
    }

    private async Task<StepOutcome> LockAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        try
        {
            var held = await manuscript.AcquireLockAsync(job.OwnerId, job.ProjectId, job.Branch, Holder(job), cancellationToken);
            return new StepOutcome(LockToken: held.Token, Head: await manuscript.HeadAsync(job.OwnerId, job.ProjectId, job.Branch, cancellationToken));
        }
        catch (ServiceDefaults.Grpc.GrpcException exception) when (exception.StatusCode == ServiceDefaults.Grpc.GrpcStatusCode.Aborted)
        {
            throw new StepFailedException(exception.Message, branchBusy: true, exception);
        }
    }

    public static string Holder(GenerationJob job) => $"generation-job:{job.CorrelationId}";

    /// <summary>Model calls can outlast the lease (a slow local model), so it is renewed while they run.</summary>
    private async Task<T> WhileLeasedAsync<T>(GenerationJob job, Func<Task<T>> modelWork, CancellationToken cancellationToken)
    {
        await RenewAsync(job, cancellationToken);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = KeepRenewingAsync(job, done.Token);
        try
        {
            return await modelWork();
        }
        finally
        {
            await done.CancelAsync();
            await renewing;
        }
    }

    private async Task KeepRenewingAsync(GenerationJob job, CancellationToken done)
    {
        using var timer = new PeriodicTimer(RenewAfter);
        try
        {
            while (await timer.WaitForNextTickAsync(done))
            {
                await RenewAsync(job, done);
            }
        }
        catch (Exception)
        {
            // The model's work is not thrown away for a missed renewal: a lease that really ran out is reported by the
            // commit, which Versioning then refuses, and an outage by the next step's renewal.
        }
    }

    private async Task RenewAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(("lease", job.LockToken), out _))
        {
            return;
        }

        await Permanent(() => manuscript.RenewLockAsync(job.OwnerId, job.ProjectId, job.Branch, job.LockToken!, cancellationToken));
        cache.Set(("lease", job.LockToken), true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = RenewAfter });
    }

    private async Task<ChapterDraft> BriefAsync(GenerationJob job, JobChapter chapter, CancellationToken cancellationToken)
    {
        var (book, settings) = await BookAndModelAsync(job, chapter, cancellationToken);
        var planned = book.Chapter(chapter.ChapterId);
        var beats = book.OutlineBeats(chapter.Number) ?? planned?.Brief?.Beats ?? [];
        var brief = await agents.BriefAsync(Call(job, settings),
            new BriefRequest(book.Story, chapter.Number, chapter.Title, beats, await SummariesAsync(job, book, settings, cancellationToken),
                planned?.TargetLength ?? DefaultTargetWords, job.Seed),
            cancellationToken);
        return new ChapterDraft(Brief: JsonSerializer.Serialize(brief, Json));
    }

    private async Task<ChapterDraft> WriteAsync(GenerationJob job, JobChapter chapter, CancellationToken cancellationToken)
    {
        var stored = StoredBriefAsync(job, chapter, cancellationToken);
        var (book, settings) = await BookAndModelAsync(job, chapter, cancellationToken);
        var brief = await stored ?? book.PlannedBrief(chapter.Number, DefaultTargetWords)
            ?? throw new StepFailedException($"Chapter {chapter.Number} has no brief to write from: plan it first (mode 'both' or 'brief').");
        var seed = job.Seed + (chapter.Revisions * 7919);
        var bare = new ChapterRequest(book.Story, brief, null, null, seed, chapter.Findings.Count > 0 && chapter.Revisions > 0 ? chapter.Findings : null);
        var previous = book.PreviousChapterContent(chapter.Number);
        var previousText = previous is null ? null : (await books.TextsAsync(job, [previous], cancellationToken))[previous];
        var carried = agents.FitContext(bare, settings, await SummariesAsync(job, book, settings, cancellationToken), previousText);
        var text = await agents.WriteAsync(Call(job, settings), bare with { RunningSummary = carried.RunningSummary, PreviousChapterEnding = carried.PreviousChapterEnding }, cancellationToken);
        return new ChapterDraft(Text: text, Context: JsonSerializer.Serialize(new
        {
            carried.Tokens,
            carried.DroppedSummaries,
            SummaryChapters = book.EarlierChapters.Count,
            PreviousEnding = carried.PreviousChapterEnding,
            chapter.Revisions,
        }, Json));
    }

    /// <summary>What the agents are told about the book for the chapter, and the model they run on, read side by side.</summary>
    private async Task<(BookContext Book, ModelSettings Settings)> BookAndModelAsync(GenerationJob job, JobChapter chapter, CancellationToken cancellationToken)
    {
        var book = books.LoadAsync(job, chapter.Number, cancellationToken);
        var settings = ModelAsync(job, cancellationToken);
        return (await book, await settings);
    }

    /// <summary>Resolved once for the steps of the next half minute: a settings change reaches a running job within that.</summary>
    private async Task<ModelSettings> ModelAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(("model", job.CorrelationId), out ModelSettings? settings))
        {
            return settings!;
        }

        settings = await models.ResolveAsync(job.OwnerId, job.ProjectId, job.Provider, job.Model, cancellationToken);
        cache.Set(("model", job.CorrelationId), settings, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = ModelLifetime });
        return settings;
    }

    private async Task<StepOutcome> CommitAsync(GenerationJob job, JobChapter chapter, CancellationToken cancellationToken)
    {
        var settings = ModelAsync(job, cancellationToken);
        var text = job.Saved(chapter, draft => draft.Text) ?? (await StoredDraftAsync(job, chapter, cancellationToken)).Text
            ?? throw new StepFailedException($"Chapter {chapter.Number} has no written text to commit.");
        if (chapter is { Revisions: > 0, CommitId: not null } && await books.TextAtHeadAsync(job, chapter.ChapterId, cancellationToken) == text)
        {
            // A revision word for word the draft it revises has nothing to commit: Continuity judges the same commit again.
            return new StepOutcome(Head: job.Head, CommitId: chapter.CommitId, Words: chapter.Words);
        }

        var model = await settings;
        var request = new CommitRequest
        {
            ProjectId = job.ProjectId.ToString(),
            Branch = job.Branch,
            ExpectedHead = job.Head ?? "",
            Message = $"Chapter {chapter.Number}: {chapter.Title}{(chapter.Revisions > 0 ? $" (revision {chapter.Revisions})" : "")} — generation job {job.CorrelationId}",
            Agent = Author(StoryAgents.Writer, model, job.Seed + (chapter.Revisions * 7919)),
            LockToken = job.LockToken ?? "",
            CorrelationId = job.CorrelationId.ToString(),
            IdempotencyKey = $"generation:{job.CorrelationId}:{chapter.Number}:{chapter.Revisions}",
        };
        request.Changes.Add(new ChapterEdit { ChapterId = chapter.ChapterId.ToString(), Text = text });
        var reply = await Permanent(() => manuscript.CommitAsync(job.OwnerId, request, cancellationToken));
        var change = reply.Changes.FirstOrDefault(change => change.ChapterId == chapter.ChapterId.ToString());
        if (change is { ContentId.Length: > 0 })
        {
            books.Committed(job, reply.CommitId, chapter.ChapterId, change.ContentId, text);
        }

        return new StepOutcome(Head: reply.CommitId, CommitId: reply.CommitId, Words: change?.Words ?? chapter.Words);
    }

    private async Task FinishAsync(GenerationJob job, JobChapter chapter, CancellationToken cancellationToken)
    {
        var brief = await StoredBriefAsync(job, chapter, cancellationToken);
        var status = job.Mode == JobModes.BriefOnly ? "brief_complete" : chapter.Continuity is "pass" or "warning" ? "verified" : "written";
        var planned = (await books.LoadAsync(job, chapter.Number, cancellationToken)).Chapter(chapter.ChapterId);
        // The chapter's record in Projects and the summary the next chapter needs do not wait for each other.
        var recorded = Permanent(() => projects.UpdateChapterAsync(job.OwnerId, job.ProjectId, chapter.ChapterId,
            brief is null ? null : new BookChapterBrief(brief.Beats, brief.PointOfView, brief.Setting, brief.CharactersPresent, brief.Goal, null),
            status, planned, cancellationToken));
        if (job.Mode != JobModes.BriefOnly)
        {
            var book = books.LoadAsync(job, chapter.Number + 1, cancellationToken);
            var settings = ModelAsync(job, cancellationToken);
            await SummariesAsync(job, await book, await settings, cancellationToken);
        }

        await recorded;
    }

    private async Task<StepOutcome> RollbackAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        var wholeJob = job.RollbackPolicy == RollbackPolicies.Job;
        var request = new RestoreRequest
        {
            ProjectId = job.ProjectId.ToString(),
            Branch = job.Branch,
            From = (wholeJob ? job.BaseHead : job.ChapterBaseHead) ?? "",
            ExpectedHead = job.Head ?? "",
            Message = $"Roll back generation job {job.CorrelationId} ({job.RollbackPolicy} policy): {job.StopReason}",
            // Versioning attributes every agent commit to a model; the saga is Folio's own code, so it names itself.
            Agent = new AgentAuthor { Name = "generation-saga", Model = "folio-saga", ParametersJson = "{}" },
            LockToken = job.LockToken ?? "",
            CorrelationId = job.CorrelationId.ToString(),
            IdempotencyKey = $"generation:{job.CorrelationId}:rollback",
        };
        if (!wholeJob)
        {
            request.ChapterIds.Add(job.Chapter!.ChapterId.ToString());
        }

        var reply = await Permanent(() => manuscript.RestoreAsync(job.OwnerId, request, cancellationToken));
        foreach (var chapter in JobFlow.UndoneChapters(job).Where(chapter => chapter.PlannedStatus is not null))
        {
            await RestorePlannedStatusAsync(job, chapter, cancellationToken);
        }

        return reply.CommitId.Length == 0 ? new StepOutcome(Head: job.Head) : new StepOutcome(Head: reply.CommitId, CommitId: reply.CommitId);
    }

    /// <summary>The plan says what the text says: an undone chapter goes back to its status from before the job (a chapter deleted meanwhile has none).</summary>
    private async Task RestorePlannedStatusAsync(GenerationJob job, JobChapter chapter, CancellationToken cancellationToken)
    {
        try
        {
            await Permanent(() => projects.UpdateChapterAsync(job.OwnerId, job.ProjectId, chapter.ChapterId, null, chapter.PlannedStatus!, null, cancellationToken));
        }
        catch (StepFailedException failed) when (failed.InnerException is BookSourceException { Status: System.Net.HttpStatusCode.NotFound })
        {
            // Nothing to put back.
        }
    }

    /// <summary>Summaries of the chapters before the one in hand, from their current text (a hand edit gets a new summary).</summary>
    private async Task<IReadOnlyList<string>> SummariesAsync(GenerationJob job, BookContext book, ModelSettings settings, CancellationToken cancellationToken)
    {
        var known = await summaries.FindAsync(job.ProjectId, book.EarlierChapters.Select(chapter => chapter.ContentId).ToList(), cancellationToken);
        var unsummarised = book.EarlierChapters.Where(chapter => !known.ContainsKey(chapter.ContentId)).ToList();
        var texts = await books.TextsAsync(job, unsummarised.Select(chapter => chapter.ContentId).ToList(), cancellationToken);
        foreach (var (planned, contentId) in unsummarised)
        {
            var brief = book.PlannedBrief(planned.Number, planned.TargetLength ?? DefaultTargetWords)
                ?? new ChapterBrief(planned.Number, planned.Title, [], "", "", [], "", planned.TargetLength ?? DefaultTargetWords);
            var summary = await agents.SummarizeAsync(Call(job, settings), new SummaryRequest(book.Story, brief, texts[contentId]), cancellationToken);
            summaries.Hold(job, contentId, summary);
            known[contentId] = summary;
        }

        return book.EarlierChapters.Select(chapter => known[chapter.ContentId]).ToList();
    }

    private async Task<ChapterBrief?> StoredBriefAsync(GenerationJob job, JobChapter chapter, CancellationToken cancellationToken) =>
        (job.Saved(chapter, draft => draft.Brief) ?? (await StoredDraftAsync(job, chapter, cancellationToken)).Brief) is { } json
            ? JsonSerializer.Deserialize<ChapterBrief>(json, Json)
            : null;

    /// <summary>The chapter's drafts as saved by earlier deliveries, kept with the job for the steps after this one.</summary>
    private async Task<ChapterDraft> StoredDraftAsync(GenerationJob job, JobChapter chapter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var stored = await connection.QuerySingleOrDefaultAsync<ChapterDraft>(new CommandDefinition(
            "SELECT brief::text AS Brief, text AS Text, context::text AS Context FROM job_chapters WHERE job_id = @CorrelationId AND chapter_number = @Number",
            new { job.CorrelationId, chapter.Number }, cancellationToken: cancellationToken)) ?? new ChapterDraft();
        job.KeepDraft(chapter.Number, stored);
        return stored;
    }

    private static AgentCall Call(GenerationJob job, ModelSettings settings) => new(job.OwnerId, job.ProjectId, job.CorrelationId, settings, job.UnsavedRuns);

    private static AgentAuthor Author(string agent, ModelSettings settings, int seed) => new()
    {
        Name = agent,
        Model = settings.Provider == ProviderCatalogue.Offline ? $"offline/{settings.Model}" : $"{settings.Provider}/{settings.Model}",
        ParametersJson = JsonSerializer.Serialize(new { settings.Temperature, settings.MaxTokens, seed }, Json),
        Confidence = 1,
    };

    /// <summary>Refusals of the request itself (not found, stale head, lock lost) end the step; outages are retried.</summary>
    private static async Task<T> Permanent<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ServiceDefaults.Grpc.GrpcException exception) when (exception.StatusCode is ServiceDefaults.Grpc.GrpcStatusCode.NotFound
            or ServiceDefaults.Grpc.GrpcStatusCode.InvalidArgument or ServiceDefaults.Grpc.GrpcStatusCode.FailedPrecondition
            or ServiceDefaults.Grpc.GrpcStatusCode.Aborted or ServiceDefaults.Grpc.GrpcStatusCode.PermissionDenied)
        {
            throw new StepFailedException($"Versioning refused: {exception.Message}", inner: exception);
        }
        catch (BookSourceException exception) when (!exception.Transient)
        {
            throw new StepFailedException(exception.Message, inner: exception);
        }
    }

    private static async Task Permanent(Func<Task> call) => await Permanent(async () =>
    {
        await call();
        return true;
    });
}
