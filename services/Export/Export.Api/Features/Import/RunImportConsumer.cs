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
/// Replays an uploaded repository's branch, oldest commit first, as commits on the book's branch in Versioning: each
/// git commit that changes chapter texts becomes one Folio commit with its message, attributed to the agent its
/// trailers name or else to the book's owner. Each commit carries the expected head, so a concurrent writer makes the
/// import fail rather than interleave. A redelivered job (after a crash) resumes after the commits already made.
/// </summary>
public sealed class RunImportConsumer(
    ImportJobs jobs, GitRepositoryReader reader, VersioningClient versioning, IExportStorage storage, TokenIssuer tokens,
    IOptions<ExportRunOptions> options, ILogger<RunImportConsumer> logger) : IConsumer<RunImport>
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(30);

    public async Task Consume(ConsumeContext<RunImport> context)
    {
        var cancellationToken = context.CancellationToken;
        var job = await jobs.ClaimAsync(context.Message.JobId, cancellationToken);
        if (job is null)
        {
            return;
        }

        if (job.Attempts > options.Value.MaxAttempts)
        {
            await FailAsync(job, $"The import did not finish in {options.Value.MaxAttempts} attempts.", cancellationToken);
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

            var commits = await reader.ReadAsync(upload, job.UploadKind, scratch, cancellationToken);
            var token = tokens.IssueOnBehalfOf(job.OwnerId, "import", TokenLifetime).Token;
            var head = await versioning.ResolveRefAsync(job.ProjectId, job.Branch, token, cancellationToken) ?? "";
            var current = await CurrentTextsAsync(job, head, token, cancellationToken);
            var made = 0;
            var start = 0;
            if (job.Attempts > 1)
            {
                // A retry resumes after the last commit whose texts the branch already holds (a crash may have come
                // between Versioning's commit and the progress update, so the count alone is not to be trusted).
                var last = commits.ToList().FindLastIndex(commit => SameTexts(commit, current));
                (start, made) = (last + 1, job.CommitsImported);
            }

            foreach (var commit in commits.Skip(start))
            {
                var request = new CommitRequest { ProjectId = job.ProjectId.ToString(), Branch = job.Branch, ExpectedHead = head, Message = commit.Message };
                var wanted = commit.Chapters.ToDictionary(chapter => chapter.ChapterId, chapter => chapter.Text);
                foreach (var (chapterId, text) in commit.Chapters.Where(chapter => !current.TryGetValue(chapter.ChapterId, out var now) || now != chapter.Text))
                {
                    request.Changes.Add(new ChapterEdit { ChapterId = chapterId.ToString(), Text = text });
                }

                foreach (var removed in current.Keys.Where(chapterId => !wanted.ContainsKey(chapterId)))
                {
                    request.Changes.Add(new ChapterEdit { ChapterId = removed.ToString(), Remove = true });
                }

                if (request.Changes.Count == 0)
                {
                    continue;
                }

                if (commit.Agent is { Length: > 0 } agent)
                {
                    request.Agent = new AgentAuthor { Name = agent, Model = commit.Model ?? "unknown" };
                }

                head = (await versioning.CommitAsync(request, token, cancellationToken)).CommitId;
                current = wanted;
                await jobs.ProgressAsync(job.Id, ++made, cancellationToken);
            }

            await jobs.FinishAsync(job.Id, "completed", null, cancellationToken);
            await storage.DeleteAsync(job.UploadKey, cancellationToken);
        }
        catch (Exception exception) when (exception is ExportRefusedException
            || (exception is GrpcException grpc && grpc.StatusCode is GrpcStatusCode.Aborted or GrpcStatusCode.FailedPrecondition or GrpcStatusCode.InvalidArgument or GrpcStatusCode.NotFound))
        {
            await FailAsync(job, exception.Message, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && job.Attempts >= options.Value.MaxAttempts)
        {
            logger.LogError(exception, "Import {JobId} failed on its last attempt", job.Id);
            await FailAsync(job, $"The import failed: {exception.Message}", cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>A finished import, failed or not, no longer needs its upload.</summary>
    private async Task FailAsync(ImportJob job, string reason, CancellationToken cancellationToken)
    {
        await jobs.FinishAsync(job.Id, "failed", reason, cancellationToken);
        await storage.DeleteAsync(job.UploadKey, cancellationToken);
    }

    private static bool SameTexts(ImportedCommit commit, Dictionary<Guid, string> current) =>
        commit.Chapters.Count == current.Count && commit.Chapters.All(chapter => current.TryGetValue(chapter.ChapterId, out var text) && text == chapter.Text);

    /// <summary>The branch's chapter texts now: an import adds only what differs from them.</summary>
    private async Task<Dictionary<Guid, string>> CurrentTextsAsync(ImportJob job, string head, string token, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<Guid, string>();
        if (head.Length == 0)
        {
            return texts;
        }

        await foreach (var chapter in versioning.StreamSnapshotAsync(job.ProjectId, head, token, cancellationToken))
        {
            texts[Guid.Parse(chapter.ChapterId)] = chapter.Text;
        }

        return texts;
    }
}
