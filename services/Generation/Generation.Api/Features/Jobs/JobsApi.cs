using System.Text.Json;
using Dapper;
using FluentValidation;
using Folio.Contracts;
using Folio.Contracts.Generation;
using Folio.Generation.Api.Features.Agents;
using Folio.Generation.Api.Features.Books;
using Folio.Generation.Api.Features.Jobs.Saga;
using Folio.Generation.Api.Features.Providers;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Generation.Api.Features.Jobs;

public sealed record ContinuityRequest(string? Policy, int? MaxRevisions);

/// <summary>
/// Chapters <see cref="FromChapter"/>..<see cref="ToChapter"/> (or the single <see cref="Chapter"/>) of a book on a branch.
/// <see cref="OnLocked"/>: <c>queue</c> (wait for the branch) or <c>refuse</c> (409 when another job holds it).
/// </summary>
public sealed record JobRequest(
    Guid ProjectId, string? Branch, int? FromChapter, int? ToChapter, int? Chapter, string? Mode, string? Provider, string? Model,
    ContinuityRequest? Continuity, string? RollbackPolicy, string? OnLocked, string? IdempotencyKey, int? Seed);

public sealed record ResumeRequest(int FromChapter);

public sealed record JobChapterView(
    int Number, Guid ChapterId, string Title, string Status, int Revisions, string? CommitId, int Words, string? Continuity, string? Note,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, AgentRunTotals AgentRuns);

public sealed record JobView(
    Guid Id, Guid ProjectId, string Branch, string State, string Mode, string ContinuityPolicy, int MaxRevisions, string RollbackPolicy,
    string? Provider, string? Model, int? CurrentChapter, string? Step, int Progress, IReadOnlyList<JobChapterView> Chapters,
    string? StopReason, string? BaseCommitId, string? HeadCommitId, string? RollbackCommitId, Guid? ResumedFrom,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, AgentRunTotals AgentRuns, string AgentRunsUrl)
{
    /// <param name="runs">The job's agent-run totals by chapter (<see cref="AgentRunTotals.OfJobsAsync"/>); none for a job just queued.</param>
    public static JobView Of(GenerationJob job, IReadOnlyDictionary<(Guid JobId, int Chapter), AgentRunTotals>? runs = null)
    {
        AgentRunTotals Runs(int chapter) => runs?.GetValueOrDefault((job.CorrelationId, chapter)) ?? AgentRunTotals.None;
        return new(
            job.CorrelationId, job.ProjectId, job.Branch, job.CurrentState, job.Mode, job.ContinuityPolicy, job.MaxRevisions, job.RollbackPolicy,
            job.Provider, job.Model, job.Chapter?.Number, job.CurrentState is JobStates.Running or JobStates.Compensating ? job.Step.ToString().ToLowerInvariant() : null,
            job.Percent,
            job.Chapters.Select(chapter => new JobChapterView(chapter.Number, chapter.ChapterId, chapter.Title, chapter.Status, chapter.Revisions,
                chapter.CommitId, chapter.Words, chapter.Continuity, chapter.Note, chapter.StartedAt, chapter.FinishedAt, Runs(chapter.Number))).ToList(),
            job.StopReason, job.BaseHead, job.Head, job.RollbackCommitId, job.ResumedFrom, job.CreatedAt, job.StartedAt, job.FinishedAt,
            AgentRunTotals.Sum(runs?.Where(pair => pair.Key.JobId == job.CorrelationId).Select(pair => pair.Value) ?? []),
            $"/api/v1/projects/{job.ProjectId}/agent-runs?jobId={job.CorrelationId}");
    }
}

public sealed record JobsPage(IReadOnlyList<JobView> Items);

internal sealed class JobRequestValidator : AbstractValidator<JobRequest>
{
    private static readonly string[] Modes = [JobModes.Both, JobModes.BriefOnly, JobModes.ChapterOnly];
    private static readonly string[] Policies = [ContinuityPolicies.Off, ContinuityPolicies.Check, ContinuityPolicies.Revise];
    private static readonly string[] Rollbacks = [RollbackPolicies.Chapter, RollbackPolicies.Job];
    private static readonly string[] Locked = ["queue", "refuse"];

    public JobRequestValidator()
    {
        RuleFor(request => request.ProjectId).NotEmpty();
        RuleFor(request => request.Branch).MaximumLength(200).Matches("^[A-Za-z0-9._/-]+$").When(request => request.Branch is not null);
        RuleFor(request => request.Chapter).Null().When(request => request.FromChapter is not null || request.ToChapter is not null)
            .WithMessage("Give either chapter, or fromChapter and toChapter, not both.");
        RuleFor(request => request.FromChapter).NotNull().When(request => request.Chapter is null)
            .WithMessage("Give the chapters to generate: chapter, or fromChapter and toChapter.");
        RuleFor(request => request.ToChapter).NotNull().When(request => request.Chapter is null && request.FromChapter is not null)
            .WithMessage("toChapter is required with fromChapter.");
        RuleFor(request => request.FromChapter).GreaterThanOrEqualTo(1).When(request => request.FromChapter is not null);
        RuleFor(request => request.Chapter).GreaterThanOrEqualTo(1).When(request => request.Chapter is not null);
        RuleFor(request => request.ToChapter).GreaterThanOrEqualTo(request => request.FromChapter ?? 1)
            .LessThanOrEqualTo(request => (request.FromChapter ?? 1) + 499)
            .When(request => request.ToChapter is not null)
            .WithMessage("toChapter must be at least fromChapter, and one job writes at most 500 chapters.");
        RuleFor(request => request.Mode).Must(mode => Modes.Contains(mode)).When(request => request.Mode is not null)
            .WithMessage($"mode must be one of: {string.Join(", ", Modes)}.");
        RuleFor(request => request.Mode).Must(mode => mode is null || mode == JobModes.Both)
            .When(request => request.Chapter is null).WithMessage("brief-only and chapter-only modes are for a single chapter.");
        RuleFor(request => request.Provider).Must(provider => ProviderCatalogue.IsKnown(provider!)).When(request => request.Provider is not null)
            .WithMessage($"provider must be one of: {string.Join(", ", ProviderCatalogue.Ids)}.");
        RuleFor(request => request.Model).MaximumLength(200);
        RuleFor(request => request.Continuity!.Policy).Must(policy => Policies.Contains(policy)).When(request => request.Continuity?.Policy is not null)
            .WithName("continuity.policy").WithMessage($"continuity.policy must be one of: {string.Join(", ", Policies)}.");
        RuleFor(request => request.Continuity!.MaxRevisions).InclusiveBetween(0, 5).When(request => request.Continuity?.MaxRevisions is not null)
            .WithName("continuity.maxRevisions");
        RuleFor(request => request.RollbackPolicy).Must(policy => Rollbacks.Contains(policy)).When(request => request.RollbackPolicy is not null)
            .WithMessage($"rollbackPolicy must be one of: {string.Join(", ", Rollbacks)}.");
        RuleFor(request => request.OnLocked).Must(value => Locked.Contains(value)).When(request => request.OnLocked is not null)
            .WithMessage("onLocked must be queue or refuse.");
        RuleFor(request => request.IdempotencyKey).MaximumLength(200);
    }
}

/// <summary>Generation jobs: ask for chapters, follow them, cancel, resume from a chapter, forget finished ones.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/generation/jobs").RequireAuthorization().WithTags("Generation jobs");
        jobs.MapPost("/", CreateAsync).WithValidation<JobRequest>();
        jobs.MapGet("/", ListAsync);
        jobs.MapGet("/{jobId:guid}", GetAsync);
        jobs.MapPost("/{jobId:guid}/cancel", CancelAsync);
        jobs.MapPost("/{jobId:guid}/resume", ResumeAsync);
        jobs.MapDelete("/{jobId:guid}", DeleteAsync);
        return app;
    }

    private static async Task<Results<Accepted<JobView>, Ok<JobView>>> CreateAsync(
        JobRequest request, NpgsqlDataSource db, IOutbox outbox, IProjectOwnership books, ProjectsBook projects, ICurrentUser user,
        JobDispatcher dispatcher, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        await books.EnsureOwnerAsync(request.ProjectId, user.Id, cancellationToken);
        var key = request.IdempotencyKey ?? http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        if (key is not null && await FindByKeyAsync(db, user.Id, key, cancellationToken) is { } earlier)
        {
            return TypedResults.Ok(JobView.Of(earlier));
        }

        var (first, last) = request.Chapter is { } single ? (single, single) : (request.FromChapter!.Value, request.ToChapter!.Value);
        var job = new GenerationJob
        {
            CorrelationId = Guid.CreateVersion7(),
            CurrentState = JobStates.Queued,
            OwnerId = user.Id,
            ProjectId = request.ProjectId,
            Branch = request.Branch ?? "main",
            Mode = request.Mode ?? JobModes.Both,
            ContinuityPolicy = request.Continuity?.Policy ?? ContinuityPolicies.Check,
            MaxRevisions = request.Continuity?.MaxRevisions ?? 2,
            RollbackPolicy = request.RollbackPolicy ?? RollbackPolicies.Chapter,
            Provider = request.Provider,
            Model = request.Model,
            Seed = request.Seed ?? Random.Shared.Next(1, int.MaxValue),
            Chapters = await ChaptersAsync(projects, user.Id, request.ProjectId, first, last, cancellationToken),
            CreatedAt = clock.GetUtcNow(),
        };
        var (view, earlierJob) = await QueueAsync(db, outbox, job, key, request.OnLocked == "refuse", cancellationToken);
        if (earlierJob)
        {
            return TypedResults.Ok(view);
        }

        dispatcher.Wake();
        return TypedResults.Accepted($"/api/v1/generation/jobs/{view.Id}", view);
    }

    private static async Task<Accepted<JobView>> ResumeAsync(
        Guid jobId, ResumeRequest request, NpgsqlDataSource db, IOutbox outbox, ProjectsBook projects, ICurrentUser user, JobDispatcher dispatcher,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var original = await LoadOwnedAsync(db, jobId, user.Id, cancellationToken);
        if (!JobStates.Ended(original.CurrentState))
        {
            throw ProblemException.Conflict($"Job {jobId} is still {original.CurrentState.ToLowerInvariant()}: cancel it (or let it finish) before resuming.");
        }

        var last = original.Chapters[^1].Number;
        if (request.FromChapter < original.Chapters[0].Number || request.FromChapter > last)
        {
            throw ProblemException.BadRequest($"fromChapter must be within the job's chapters {original.Chapters[0].Number}..{last}.");
        }

        var job = new GenerationJob
        {
            CorrelationId = Guid.CreateVersion7(),
            CurrentState = JobStates.Queued,
            OwnerId = user.Id,
            ProjectId = original.ProjectId,
            Branch = original.Branch,
            Mode = original.Mode,
            ContinuityPolicy = original.ContinuityPolicy,
            MaxRevisions = original.MaxRevisions,
            RollbackPolicy = original.RollbackPolicy,
            Provider = original.Provider,
            Model = original.Model,
            Seed = original.Seed,
            ResumedFrom = original.CorrelationId,
            Chapters = await ChaptersAsync(projects, user.Id, original.ProjectId, request.FromChapter, last, cancellationToken),
            CreatedAt = clock.GetUtcNow(),
        };
        var (view, _) = await QueueAsync(db, outbox, job, null, refuseWhenLocked: false, cancellationToken);
        dispatcher.Wake();
        return TypedResults.Accepted($"/api/v1/generation/jobs/{view.Id}", view);
    }

    /// <returns>The job as queued, or the earlier job with the same idempotency key (<c>EarlierJob</c>) when a concurrent request won.</returns>
    private static async Task<(JobView View, bool EarlierJob)> QueueAsync(
        NpgsqlDataSource db, IOutbox outbox, GenerationJob job, string? key, bool refuseWhenLocked, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Serialise requests for one branch so "refuse" sees every job queued before it.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended(@Key, 0))",
            new { Key = $"{job.ProjectId}/{job.Branch}" }, transaction, cancellationToken: cancellationToken));
        if (refuseWhenLocked && await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT id FROM generation_jobs WHERE project_id = @ProjectId AND branch = @Branch AND state IN ('Queued', 'Running', 'Compensating') LIMIT 1",
                new { job.ProjectId, job.Branch }, transaction, cancellationToken: cancellationToken)) is { } holder)
        {
            throw ProblemException.Conflict($"Branch '{job.Branch}' is taken by generation job {holder}; ask with onLocked=queue to wait for it.");
        }

        job.Outgoing.Add(new GenerationJobQueued(Guid.CreateVersion7(), job.CorrelationId, job.CreatedAt, Actor.User(job.OwnerId), job.CorrelationId,
            job.ProjectId, job.Branch, job.Chapters[0].Number, job.Chapters[^1].Number));
        try
        {
            await JobRows.InsertAsync(transaction, outbox, job, cancellationToken, key);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation && key is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (JobView.Of((await FindByKeyAsync(db, job.OwnerId, key, cancellationToken))!), true);
        }

        return (JobView.Of(job), false);
    }

    private static async Task<List<JobChapter>> ChaptersAsync(ProjectsBook projects, Guid ownerId, Guid projectId, int first, int last, CancellationToken cancellationToken)
    {
        var chapters = (await projects.GetChaptersAsync(ownerId, projectId, cancellationToken)).ToDictionary(chapter => chapter.Number);
        var missing = Enumerable.Range(first, last - first + 1).Where(number => !chapters.ContainsKey(number)).ToList();
        if (missing.Count > 0)
        {
            throw ProblemException.Unprocessable(
                $"The book has no chapter {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", …" : "")}: add the chapters to the book before generating them.");
        }

        return Enumerable.Range(first, last - first + 1)
            .Select(number => new JobChapter { Number = number, ChapterId = chapters[number].Id, Title = chapters[number].Title, PlannedStatus = chapters[number].Status })
            .ToList();
    }

    private static async Task<Ok<JobsPage>> ListAsync(
        NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken, Guid? projectId = null, string? state = null, int limit = 50)
    {
        if (limit is < 1 or > 200)
        {
            throw ProblemException.BadRequest("limit must be between 1 and 200.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Data, int Version)>(new CommandDefinition(
            """
            SELECT data::text, version FROM generation_jobs
            WHERE owner_id = @UserId AND (@projectId::uuid IS NULL OR project_id = @projectId) AND (@state::text IS NULL OR lower(state) = lower(@state))
            ORDER BY created_at DESC LIMIT @limit
            """,
            new { UserId = user.Id, projectId, state, limit }, cancellationToken: cancellationToken));
        var jobs = rows.Select(row => JsonSerializer.Deserialize<GenerationJob>(row.Data, JsonSerializerOptions.Web)!).ToList();
        await JobRows.WithChaptersAsync(connection, jobs, cancellationToken);
        var runs = await AgentRunTotals.OfJobsAsync(connection, jobs.ConvertAll(job => job.CorrelationId), cancellationToken);
        return TypedResults.Ok(new JobsPage(jobs.ConvertAll(job => JobView.Of(job, runs))));
    }

    private static async Task<Ok<JobView>> GetAsync(Guid jobId, NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken)
    {
        var job = await LoadOwnedAsync(db, jobId, user.Id, cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(JobView.Of(job, await AgentRunTotals.OfJobsAsync(connection, [jobId], cancellationToken)));
    }

    private static async Task<Accepted<JobView>> CancelAsync(Guid jobId, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, CancellationToken cancellationToken)
    {
        var job = await LoadOwnedAsync(db, jobId, user.Id, cancellationToken);
        if (JobStates.Ended(job.CurrentState))
        {
            throw ProblemException.Conflict($"Job {jobId} already ended ({job.CurrentState.ToLowerInvariant()}).");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await outbox.EnqueueAsync(transaction, new CancelGenerationJob(Guid.CreateVersion7(), jobId, DateTimeOffset.UtcNow, Actor.User(user.Id), jobId), jobId.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/v1/generation/jobs/{jobId}", JobView.Of(job));
    }

    private static async Task<NoContent> DeleteAsync(Guid jobId, NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken)
    {
        var job = await LoadOwnedAsync(db, jobId, user.Id, cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM generation_jobs WHERE id = @jobId AND state IN ('Completed', 'Failed', 'Cancelled')", new { jobId }, cancellationToken: cancellationToken));
        return deleted == 1
            ? TypedResults.NoContent()
            : throw ProblemException.Conflict($"Job {jobId} is still {job.CurrentState.ToLowerInvariant()}: cancel it before deleting it.");
    }

    private static async Task<GenerationJob> LoadOwnedAsync(NpgsqlDataSource db, Guid jobId, Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var job = await JobRows.LoadAsync(connection, jobId, cancellationToken);
        return job is not null && job.OwnerId == userId ? job : throw ProblemException.NotFound($"Generation job {jobId} does not exist.");
    }

    private static async Task<GenerationJob?> FindByKeyAsync(NpgsqlDataSource db, Guid ownerId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM generation_jobs WHERE owner_id = @ownerId AND idempotency_key = @key", new { ownerId, key }, cancellationToken: cancellationToken));
        return id is null ? null : await JobRows.LoadAsync(connection, id.Value, cancellationToken);
    }
}
