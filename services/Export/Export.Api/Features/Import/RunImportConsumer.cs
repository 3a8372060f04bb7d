using Folio.Contracts.Export;
using Folio.Contracts.Grpc.Versioning;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Api.Features.Sources;
using Folio.Export.Api.Features.Storage;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Security;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Folio.Export.Api.Features.Import;

/// <summary>
/// Replays an uploaded repository into a book: the checked-out branch onto the job's branch, every other branch from
/// where it left an earlier one, then the version tags with their status. Each git commit that changes chapter texts
/// becomes one Folio commit with its message, attributed to the agent its trailers name or else to the book's owner.
/// An import that creates its book first makes it, its chapters and its place in a series in Projects (acting for the owner) and waits for
/// Versioning to open its repository; when such an import fails, the book goes again. Each commit carries the expected
/// head, so a concurrent writer makes the import fail rather than interleave, and an idempotency key, so a redelivered
/// job (after a crash) replays from the same base and the commits already made come back instead of repeating.
/// </summary>
public sealed class RunImportConsumer(
    ImportJobs jobs, GitRepositoryReader reader, VersioningClient versioning, ProjectsClient projects, IExportStorage storage, TokenIssuer tokens,
    IOptions<ExportRunOptions> options, TimeProvider clock, ILogger<RunImportConsumer> logger) : IConsumer<RunImport>
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(30);

    /// <summary>Versioning opens a new book's repository when Projects' ProjectCreated reaches it.</summary>
    private static readonly TimeSpan RepositoryWait = TimeSpan.FromSeconds(60);

    public async Task Consume(ConsumeContext<RunImport> context)
    {
        var cancellationToken = context.CancellationToken;
        var job = await jobs.ClaimAsync(context.Message.JobId, cancellationToken);
        if (job is null)
        {
            return;
        }

        var projectId = job.ProjectId;
        if (job.Attempts > options.Value.MaxAttempts)
        {
            await FailAsync(job, projectId, $"The import did not finish in {options.Value.MaxAttempts} attempts.", cancellationToken);
            return;
        }

        var scratch = Path.Combine(Path.GetTempPath(), "folio-export", $"import-{job.Id:N}");
        Directory.CreateDirectory(scratch);
        try
        {
            var upload = Path.Combine(scratch, "upload");
            await using (var stored = await storage.OpenReadAsync(job.UploadKey, cancellationToken)
                ?? throw new ExportRefusedException("The uploaded repository is no longer stored."))
            await using (var local = File.Create(upload))
            {
                await stored.CopyToAsync(local, cancellationToken);
            }

            var repository = await reader.ReadAsync(upload, job.UploadKind, scratch, cancellationToken);
            var plan = ImportPlan.From(repository, job.Branch);
            var token = tokens.IssueOnBehalfOf(job.OwnerId, "import", TokenLifetime).Token;
            projectId ??= await CreateBookAsync(job, repository, cancellationToken);
            var kept = job.CreatesProject ? new HashSet<Guid>() : await projects.ChapterIdsAsync(job.OwnerId, projectId.Value, cancellationToken);
            await AddChaptersAsync(job, kept, projectId.Value, repository, cancellationToken);
            if (job.CreatesProject)
            {
                if (One(repository, "series") is { } series)
                {
                    var number = int.TryParse(One(repository, "series-number"), System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
                    await projects.JoinSeriesAsync(job.OwnerId, projectId.Value, series, number, cancellationToken);
                }

                await WaitForRepositoryAsync(projectId.Value, token, cancellationToken);
            }

            await ReplayAsync(job, kept, projectId.Value, repository, plan, token, cancellationToken);
            await jobs.FinishAsync(job.Id, "completed", null, cancellationToken);
            await storage.DeleteAsync(job.UploadKey, cancellationToken);
        }
        catch (Exception exception) when (exception is ExportRefusedException
            || (exception is GrpcException grpc && grpc.StatusCode is GrpcStatusCode.Aborted or GrpcStatusCode.FailedPrecondition or GrpcStatusCode.InvalidArgument or GrpcStatusCode.NotFound))
        {
            await FailAsync(job, projectId, exception.Message, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && job.Attempts >= options.Value.MaxAttempts)
        {
            logger.LogError(exception, "Import {JobId} failed on its last attempt", job.Id);
            await FailAsync(job, projectId, $"The import failed: {exception.Message}", cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// A finished import, failed or not, no longer needs its upload; a failed import that created its book deletes it
    /// (Versioning and the other services follow ProjectDeleted), so no half-imported book is left behind.
    /// </summary>
    private async Task FailAsync(ImportJob job, Guid? projectId, string reason, CancellationToken cancellationToken)
    {
        if (job.CreatesProject && projectId is { } created)
        {
            bool deleted;
            try
            {
                deleted = await projects.DeleteProjectAsync(job.OwnerId, created, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                logger.LogError(exception, "Import {JobId} could not delete the book {ProjectId} it created", job.Id, created);
                deleted = false;
            }

            if (deleted)
            {
                await jobs.SetProjectAsync(job.Id, null, cancellationToken);
            }
            else
            {
                reason += $" The book the import created ({created}) could not be deleted; delete it yourself.";
            }
        }

        await jobs.FinishAsync(job.Id, "failed", reason, cancellationToken);
        await storage.DeleteAsync(job.UploadKey, cancellationToken);
    }

    private async Task<Guid> CreateBookAsync(ImportJob job, ImportedRepository repository, CancellationToken cancellationToken)
    {
        string? One(string key) => RunImportConsumer.One(repository, key);
        IReadOnlyList<string> All(string key) => repository.Metadata.TryGetValue(key, out var values) ? values.Where(value => value.Trim().Length > 0).ToList() : [];

        // An export without an ISBN names the book by its old project id; the new book gets its own.
        var identifier = One("identifier");
        if (repository.SourceProjectId is { } source && identifier == $"urn:uuid:{source}")
        {
            identifier = null;
        }

        var book = new NewBook(
            One("title") ?? "Imported book", One("subtitle"), One("lang"), All("author") is { Count: > 0 } authors ? string.Join(", ", authors) : null,
            One("publisher"), One("rights"), identifier, One("description"), All("subject"));
        var projectId = await projects.CreateProjectAsync(job.OwnerId, book, $"import:{job.Id}", cancellationToken);
        await jobs.SetProjectAsync(job.Id, projectId, cancellationToken);
        return projectId;
    }

    /// <summary>A <c>manuscript/metadata.yml</c> field's value; null when it is missing or blank.</summary>
    private static string? One(ImportedRepository repository, string key) =>
        repository.Metadata.TryGetValue(key, out var values) && values.Count > 0 && values[0].Trim().Length > 0 ? values[0].Trim() : null;

    /// <summary>
    /// Every chapter the history holds, in the order of the checked-out branch's last commit and then of first appearance,
    /// with its newest title. Ids are derived from the job and the old id, so a retry finds the chapters it made.
    /// </summary>
    private async Task AddChaptersAsync(ImportJob job, IReadOnlySet<Guid> kept, Guid projectId, ImportedRepository repository, CancellationToken cancellationToken)
    {
        var titles = new Dictionary<Guid, string>();
        var order = repository.Commits[repository.Branches[0].Head].Chapters.Select(chapter => chapter.ChapterId).ToList();
        foreach (var chapter in repository.Commits.Values.SelectMany(commit => commit.Chapters).Concat(repository.Commits[repository.Branches[0].Head].Chapters))
        {
            titles[chapter.ChapterId] = chapter.Title;
            if (!order.Contains(chapter.ChapterId))
            {
                order.Add(chapter.ChapterId);
            }
        }

        for (var i = 0; i < order.Count; i++)
        {
            var title = titles[order[i]].Trim() is { Length: > 0 } named ? named[..Math.Min(named.Length, 300)] : $"Chapter {i + 1}";
            await projects.AddChapterAsync(job.OwnerId, projectId, ChapterIdFor(job, kept, order[i]), title, cancellationToken);
        }
    }

    private async Task WaitForRepositoryAsync(Guid projectId, string token, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + RepositoryWait;
        while (await versioning.GetRepositoryAsync(projectId, token, cancellationToken) is null)
        {
            if (clock.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Versioning has not opened the repository of the new book {projectId} within {RepositoryWait.TotalSeconds} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, cancellationToken);
        }
    }

    /// <summary>
    /// A chapter the book already has in Projects keeps its id (a book's own bundle restores onto it); any other gets a new
    /// one derived from the job and the old id, because chapter ids are unique across Folio and a retry must find it again.
    /// </summary>
    private static Guid ChapterIdFor(ImportJob job, IReadOnlySet<Guid> kept, Guid chapterId)
    {
        if (kept.Contains(chapterId))
        {
            return chapterId;
        }

        var hash = System.Security.Cryptography.SHA256.HashData([.. job.Id.ToByteArray(), .. chapterId.ToByteArray()]);
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16));
    }

    private async Task ReplayAsync(ImportJob job, IReadOnlySet<Guid> kept, Guid projectId, ImportedRepository repository, ImportPlan plan, string token, CancellationToken cancellationToken)
    {
        var start = await versioning.ResolveRefAsync(projectId, job.Branch, token, cancellationToken) ?? "";
        var baseCommit = await jobs.KeepBaseAsync(job.Id, start, cancellationToken);
        var target = await versioning.GetRepositoryAsync(projectId, token, cancellationToken)
            ?? throw new ExportRefusedException($"Project {projectId} has no repository.");
        var existingBranches = target.Branches.Select(branch => branch.Name).ToHashSet(StringComparer.Ordinal);
        var existingVersions = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var version in versioning.ListVersionsAsync(projectId, token, cancellationToken))
        {
            existingVersions.Add(version.Name);
        }

        // Only the first attempt can tell a name the book already had from one an earlier attempt made.
        if (job.Attempts == 1 && (plan.Lines.Skip(1).FirstOrDefault(line => existingBranches.Contains(line.Name))?.Name
            ?? plan.Versions.FirstOrDefault(tag => existingVersions.Contains(tag.Name))?.Name) is { } taken)
        {
            throw new ExportRefusedException($"The book already has a branch or version named '{taken}'; nothing was imported.");
        }

        var folioOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var made = 0;
        foreach (var line in plan.Lines)
        {
            Dictionary<Guid, string> current;
            string head;
            if (line == plan.Lines[0])
            {
                (head, current) = (baseCommit, await TextsAtAsync(projectId, baseCommit, token, cancellationToken));
            }
            else
            {
                head = line.ForkSha is null ? "" : folioOf[line.ForkSha];
                current = line.ForkSha is null ? [] : TextsOf(job, kept, repository.Commits[line.ForkSha]);
                if (!existingBranches.Contains(line.Name))
                {
                    await versioning.CreateBranchAsync(projectId, line.Name, head, token, cancellationToken);
                }
            }

            foreach (var commit in line.Commits)
            {
                var wanted = TextsOf(job, kept, commit);
                var request = new CommitRequest
                {
                    ProjectId = projectId.ToString(), Branch = line.Name, ExpectedHead = head, Message = commit.Message,
                    IdempotencyKey = $"import:{job.Id:N}:{commit.Sha}",
                };
                foreach (var (chapterId, text) in wanted.Where(chapter => !current.TryGetValue(chapter.Key, out var now) || now != chapter.Value))
                {
                    request.Changes.Add(new ChapterEdit { ChapterId = chapterId.ToString(), Text = text });
                }

                foreach (var removed in current.Keys.Where(chapterId => !wanted.ContainsKey(chapterId)))
                {
                    request.Changes.Add(new ChapterEdit { ChapterId = removed.ToString(), Remove = true });
                }

                if (request.Changes.Count > 0)
                {
                    if (commit.Agent is { Length: > 0 } agent)
                    {
                        request.Agent = new AgentAuthor { Name = agent, Model = commit.Model ?? "unknown" };
                    }

                    head = (await versioning.CommitAsync(request, token, cancellationToken)).CommitId;
                    await jobs.ProgressAsync(job.Id, ++made, cancellationToken);
                }

                current = wanted;
                folioOf[commit.Sha] = head;
            }
        }

        foreach (var tag in plan.Versions.Where(tag => !existingVersions.Contains(tag.Name)))
        {
            var commitId = folioOf[tag.Sha] is { Length: > 0 } found ? found
                : throw new ExportRefusedException($"Tag {tag.Name} is on a commit without chapters, which Folio does not keep as a version.");
            await versioning.CreateVersionAsync(projectId, tag.Name, commitId, tag.Message, tag.Status, token, cancellationToken);
        }
    }

    /// <summary>A commit's chapter texts in reading order (a Dictionary keeps insertion order while nothing is removed).</summary>
    private static Dictionary<Guid, string> TextsOf(ImportJob job, IReadOnlySet<Guid> kept, ImportedCommit commit) =>
        commit.Chapters.ToDictionary(chapter => ChapterIdFor(job, kept, chapter.ChapterId), chapter => chapter.Text);

    /// <summary>The book's chapter texts at a commit: an import adds only what differs from them.</summary>
    private async Task<Dictionary<Guid, string>> TextsAtAsync(Guid projectId, string commitId, string token, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<Guid, string>();
        if (commitId.Length == 0)
        {
            return texts;
        }

        await foreach (var chapter in versioning.StreamSnapshotAsync(projectId, commitId, token, cancellationToken))
        {
            texts[Guid.Parse(chapter.ChapterId)] = chapter.Text;
        }

        return texts;
    }
}
