using Folio.Contracts;
using Folio.Contracts.Export;
using Folio.Export.Api.Features.Git;
using Folio.Export.Api.Features.Storage;
using Folio.Export.Core;
using Folio.Export.Core.Text;
using Folio.Export.Core.Writers;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Export.Api.Features.Exports;

/// <summary>
/// Builds one export's file. The job row, not an inbox entry, makes this idempotent: a finished job is never claimed
/// again, while a job left running by a crash is claimed by the redelivered message and tried again, up to
/// <see cref="ExportRunOptions.MaxAttempts"/>. The file is written to scratch space, stored whole, and only then is the
/// job marked completed, in one transaction with its ExportCompleted event.
/// </summary>
public sealed class RunExportConsumer(
    ExportJobs jobs, BookAssembler assembler, HistoryAssembler historyAssembler, GitBundleWriter git, IEnumerable<IBookWriter> writers,
    WeasyPrint weasyPrint, IExportStorage storage,
    TokenIssuer tokens, NpgsqlDataSource db, IOutbox outbox, IOptions<ExportRunOptions> options, TimeProvider clock,
    ILogger<RunExportConsumer> logger) : IConsumer<RunExport>
{
    /// <summary>Long enough for the slowest snapshot read, short enough to be useless soon after.</summary>
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    public async Task Consume(ConsumeContext<RunExport> context)
    {
        var cancellationToken = context.CancellationToken;
        var job = await jobs.ClaimAsync(context.Message.JobId, cancellationToken);
        if (job is null)
        {
            return;
        }

        var format = ExportFormat.Find(job.Format) ?? throw new InvalidOperationException($"Job {job.Id} has unknown format '{job.Format}'.");
        if (job.Attempts > options.Value.MaxAttempts)
        {
            await FailAsync(context, job, $"The export did not finish in {options.Value.MaxAttempts} attempts.");
            return;
        }

        var scratch = Path.Combine(Path.GetTempPath(), "folio-export", $"{job.Id:N}.{format.Extension}");
        Directory.CreateDirectory(Path.GetDirectoryName(scratch)!);
        try
        {
            var token = tokens.IssueOnBehalfOf(job.OwnerId, "export", TokenLifetime).Token;
            string title;
            if (format == ExportFormat.Git)
            {
                var (history, contents) = await historyAssembler.LoadAsync(job, token, cancellationToken);
                await jobs.ReportProgressAsync(job.Id, 50, cancellationToken);
                await git.WriteAsync(history, contentId => contents[contentId], scratch, cancellationToken);
                title = history.Metadata.Title;
            }
            else
            {
                var book = await assembler.LoadAsync(job, token, cancellationToken);
                await jobs.ReportProgressAsync(job.Id, 50, cancellationToken);
                await WriteAsync(format, book, job.Options.ToExportOptions(), scratch, cancellationToken);
                title = book.Metadata.Title;
            }

            await jobs.ReportProgressAsync(job.Id, 90, cancellationToken);
            var key = $"{job.Id:N}.{format.Extension}";
            var size = await storage.PutAsync(key, scratch, cancellationToken);
            // A git bundle carries every branch and version, so its name does not name the ref it was asked from.
            var fileName = format == ExportFormat.Git
                ? $"{Slug.From(title, "book")}.{format.Extension}"
                : $"{Slug.From(title, "book")}-{Slug.From(job.Ref, "export")}.{format.Extension}";
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var expiresAt = await jobs.CompleteAsync(transaction, job.Id, fileName, format.ContentType, key, size, options.Value.FileLifetime, cancellationToken);
            await outbox.EnqueueAsync(transaction, new ExportCompleted(
                Guid.CreateVersion7(), context.Message.CorrelationId, clock.GetUtcNow(), Actor.System("export"), job.Id, job.ProjectId, job.OwnerId,
                job.Format, job.Ref, job.CommitId!, fileName, size, expiresAt), job.Id.ToString(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await DeleteCoverAsync(job, cancellationToken);
        }
        catch (Exception exception) when (exception is ExportRefusedException or WeasyPrintMissingException)
        {
            await FailAsync(context, job, exception.Message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && job.Attempts >= options.Value.MaxAttempts)
        {
            logger.LogError(exception, "Export {JobId} failed on its last attempt", job.Id);
            await FailAsync(context, job, $"The export failed: {exception.Message}");
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private async Task WriteAsync(ExportFormat format, Book book, ExportOptions exportOptions, string path, CancellationToken cancellationToken)
    {
        if (format == ExportFormat.Pdf)
        {
            await weasyPrint.RenderAsync(book, exportOptions, path, cancellationToken);
            return;
        }

        var writer = writers.Single(candidate => candidate.Format == format);
        await using var file = File.Create(path);
        writer.Write(book, exportOptions, file);
    }

    private async Task FailAsync(ConsumeContext<RunExport> context, ExportJob job, string reason)
    {
        await using var connection = await db.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        await jobs.FailAsync(transaction, job.Id, reason, context.CancellationToken);
        await outbox.EnqueueAsync(transaction, new ExportFailed(
            Guid.CreateVersion7(), context.Message.CorrelationId, clock.GetUtcNow(), Actor.System("export"), job.Id, job.ProjectId, job.OwnerId,
            job.Format, job.Ref, reason), job.Id.ToString(), context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
        await DeleteCoverAsync(job, context.CancellationToken);
    }

    /// <summary>A finished job, completed or failed, is never run again: its cover has served.</summary>
    private async Task DeleteCoverAsync(ExportJob job, CancellationToken cancellationToken)
    {
        if (job.CoverKey is not null)
        {
            await storage.DeleteAsync(job.CoverKey, cancellationToken);
        }
    }
}
