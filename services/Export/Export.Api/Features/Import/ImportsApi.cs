using Folio.Contracts;
using Folio.Contracts.Export;
using Folio.Export.Api.Features.Storage;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Folio.Export.Api.Features.Import;

public static class ImportsApi
{
    private const long MaxUploadBytes = 256L * 1024 * 1024;

    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        // A repository upload is larger than the service-wide 1 MB body limit.
        app.MapOwnedProjectGroup("/imports", "Imports").MapPost("/", IntoBookAsync).WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes));
        var imports = app.MapGroup("/api/v1/imports").RequireAuthorization().WithTags("Imports");
        imports.MapPost("/", AsNewBookAsync).WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes));
        imports.MapGet("/{jobId:guid}", GetAsync).WithName("GetImport");
        return app;
    }

    /// <summary>
    /// Takes a git bundle or a gzipped tarball of a repository in the DraftForge layout (multipart field <c>file</c>) and
    /// queues its replay as new commits on <c>branch</c> (default <c>main</c>) of the caller's book.
    /// </summary>
    private static Task<Results<AcceptedAtRoute<ImportJobResponse>, ValidationProblem>> IntoBookAsync(
        Guid projectId, HttpRequest request, IExportStorage storage, ImportJobs jobs, NpgsqlDataSource db, IOutbox outbox,
        ICurrentUser user, TimeProvider clock, CancellationToken cancellationToken) =>
        StartAsync(projectId, request, storage, jobs, db, outbox, user, clock, cancellationToken);

    /// <summary>
    /// Takes a repository as <see cref="IntoBookAsync"/> does and queues the creation of a new book from it: its metadata
    /// from <c>manuscript/metadata.yml</c>, its chapters, and its whole history. The job names the book once it exists.
    /// </summary>
    private static Task<Results<AcceptedAtRoute<ImportJobResponse>, ValidationProblem>> AsNewBookAsync(
        HttpRequest request, IExportStorage storage, ImportJobs jobs, NpgsqlDataSource db, IOutbox outbox,
        ICurrentUser user, TimeProvider clock, CancellationToken cancellationToken) =>
        StartAsync(null, request, storage, jobs, db, outbox, user, clock, cancellationToken);

    private static async Task<Results<AcceptedAtRoute<ImportJobResponse>, ValidationProblem>> StartAsync(
        Guid? projectId, HttpRequest request, IExportStorage storage, ImportJobs jobs, NpgsqlDataSource db, IOutbox outbox,
        ICurrentUser user, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send the repository as multipart/form-data in the field 'file'."] });
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var branch = form["branch"].ToString() is { Length: > 0 } named ? named : "main";
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["A git bundle or a .tar.gz of a repository is required in the field 'file'."] });
        }

        if (branch.Length > 200 || branch.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '\\') || branch.Contains("..", StringComparison.Ordinal))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["branch"] = ["Branch must be a branch name such as 'main'."] });
        }

        var id = Guid.CreateVersion7();
        var scratch = Path.Combine(Path.GetTempPath(), "folio-export", $"upload-{id:N}");
        string kind;
        try
        {
            await using (var target = File.Create(scratch))
            {
                await file.CopyToAsync(target, cancellationToken);
            }

            var start = new byte[16];
            await using (var head = File.OpenRead(scratch))
            {
                start = start[..await head.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, cancellationToken)];
            }

            kind = GitRepositoryReader.KindOf(start);
            if (kind.Length == 0)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file is neither a git bundle nor a gzipped tarball."] });
            }

            await storage.PutAsync($"import-{id:N}.{kind}", scratch, cancellationToken);
        }
        finally
        {
            File.Delete(scratch);
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var job = await jobs.InsertAsync(transaction, id, projectId, user.Id, branch, $"import-{id:N}.{kind}", kind, cancellationToken);
        await outbox.EnqueueAsync(transaction, new RunImport(
            Guid.CreateVersion7(), request.HttpContext.GetCorrelationId(), clock.GetUtcNow(), Actor.User(user.Id, user.Email), id, projectId ?? Guid.Empty),
            id.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.AcceptedAtRoute(job.ToResponse(), "GetImport", new { jobId = id });
    }

    private static async Task<Results<Ok<ImportJobResponse>, ProblemHttpResult>> GetAsync(
        Guid jobId, ImportJobs jobs, ICurrentUser user, CancellationToken cancellationToken) =>
        await jobs.FindAsync(jobId, user.Id, cancellationToken) is { } job
            ? TypedResults.Ok(job.ToResponse())
            : Problems.NotFound($"Import {jobId} does not exist.");
}
