using Folio.Contracts;
using Folio.Contracts.Export;
using Folio.Export.Api.Features.Books;
using Folio.Export.Api.Features.Sources;
using Folio.Export.Api.Features.Storage;
using Folio.Export.Core;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Folio.Export.Api.Features.Exports;

public static class ExportsApi
{
    private const int HistoryLimit = 100;

    private const long MaxRequestBytes = 8L * 1024 * 1024;

    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/api/v1/exports").RequireAuthorization().WithTags("Exports");
        // A request may carry a cover picture (up to 5 MB, base64), more than the service-wide 1 MB body limit.
        exports.MapPost("/", StartAsync).WithValidation<ExportRequest>().WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes));
        exports.MapGet("/{jobId:guid}", GetAsync).WithName("GetExport");
        exports.MapGet("/{jobId:guid}/file", DownloadAsync);

        app.MapOwnedProjectGroup("/exports", "Exports").MapGet("/", HistoryAsync);
        return app;
    }

    /// <summary>
    /// Checks what can be checked now — the book is the caller's, the ref names a commit, PDF can be made here — pins the
    /// job to that commit and queues it; the file is built in the background.
    /// </summary>
    private static async Task<Results<AcceptedAtRoute<ExportJobResponse>, ValidationProblem, ProblemHttpResult>> StartAsync(
        ExportRequest request, BookStore books, VersioningClient versioning, WeasyPrint weasyPrint, ExportJobs jobs, IExportStorage storage,
        NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await books.FindAsync(request.ProjectId, user.Id, cancellationToken) is null)
        {
            return Problems.NotFound($"Project {request.ProjectId} does not exist.");
        }

        var format = request.Format!.ToLowerInvariant();
        if (format == "pdf" && weasyPrint.Locate() is null)
        {
            return Problems.ServiceUnavailable("PDF export needs WeasyPrint, which is not installed on this server; the other formats work.");
        }

        var reference = string.IsNullOrWhiteSpace(request.Ref) ? "main" : request.Ref.Trim();
        string? commitId;
        try
        {
            commitId = await versioning.ResolveRefAsync(request.ProjectId, reference, user.BearerToken, cancellationToken);
        }
        catch (GrpcException exception) when (exception.StatusCode is GrpcStatusCode.Unavailable or GrpcStatusCode.DeadlineExceeded)
        {
            return Problems.ServiceUnavailable("The versioning service is not answering; try again shortly.");
        }

        if (commitId is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["ref"] = [$"'{reference}' is not a branch, version or commit of this book with any saved text."],
            });
        }

        var options = JobOptions.From(request.Options);
        var coverKey = request.DecodeCover() is { } cover ? await StoreCoverAsync(cover, storage, cancellationToken) : null;
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var job = await jobs.InsertAsync(transaction, request.ProjectId, user.Id, reference, commitId, format, request.Chapters, options, coverKey, cancellationToken);
            await outbox.EnqueueAsync(transaction, new RunExport(
                Guid.CreateVersion7(), http.GetCorrelationId(), clock.GetUtcNow(), Actor.User(user.Id, user.Email), job.Id, job.ProjectId),
                job.Id.ToString(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.AcceptedAtRoute(job.ToResponse(clock.GetUtcNow()), "GetExport", new { jobId = job.Id });
        }
        catch when (coverKey is not null)
        {
            await storage.DeleteAsync(coverKey, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The job runs in the background, so its cover waits in file storage (not in the job row) until it has finished.</summary>
    private static async Task<string> StoreCoverAsync(CoverImage cover, IExportStorage storage, CancellationToken cancellationToken)
    {
        var key = $"cover-{Guid.CreateVersion7():N}.{(cover.MediaType == "image/png" ? "png" : "jpg")}";
        var scratch = Path.Combine(Path.GetTempPath(), "folio-export", key);
        Directory.CreateDirectory(Path.GetDirectoryName(scratch)!);
        try
        {
            await File.WriteAllBytesAsync(scratch, cover.Data, cancellationToken);
            await storage.PutAsync(key, scratch, cancellationToken);
            return key;
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static async Task<Results<Ok<ExportJobResponse>, ProblemHttpResult>> GetAsync(
        Guid jobId, ExportJobs jobs, ICurrentUser user, TimeProvider clock, CancellationToken cancellationToken) =>
        await jobs.FindAsync(jobId, user.Id, cancellationToken) is { } job
            ? TypedResults.Ok(job.ToResponse(clock.GetUtcNow()))
            : Problems.NotFound($"Export {jobId} does not exist.");

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid jobId, ExportJobs jobs, IExportStorage storage, ICurrentUser user, TimeProvider clock, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, user.Id, cancellationToken);
        if (job is null)
        {
            return Problems.NotFound($"Export {jobId} does not exist.");
        }

        if (job.IsExpired(clock.GetUtcNow()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Gone",
                detail: $"Export {jobId} expired on {job.ExpiresAt:u}; export the book again.");
        }

        if (job.Status != ExportStatuses.Completed)
        {
            return Problems.Conflict(job.Status == ExportStatuses.Failed
                ? $"Export {jobId} failed: {job.Error}"
                : $"Export {jobId} is {job.Status} ({job.Progress}%); the file can be downloaded when it is completed.");
        }

        var stream = await storage.OpenReadAsync(job.StorageKey!, cancellationToken)
            ?? throw new InvalidOperationException($"The file of completed export {jobId} is missing from storage.");
        return TypedResults.File(stream, job.ContentType, job.FileName, lastModified: job.CompletedAt);
    }

    private static async Task<Ok<ExportHistoryResponse>> HistoryAsync(
        Guid projectId, ExportJobs jobs, ICurrentUser user, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var history = await jobs.ListAsync(projectId, user.Id, HistoryLimit, cancellationToken);
        return TypedResults.Ok(new ExportHistoryResponse(history.Select(job => job.ToResponse(now)).ToList()));
    }
}
