using Dapper;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Audit;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.Projects;

public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/v1/projects").RequireAuthorization().WithTags("Projects");
        projects.MapPost("/", CreateAsync).WithValidation<ProjectRequest>();
        projects.MapGet("/", ListAsync).WithValidation<ProjectListQuery>();
        // A read needs no separate ownership check: its one query asks for the caller's book.
        projects.MapGet("/{projectId:guid}", GetAsync).WithName("GetProject");

        // Ownership is checked before the body is validated, so another user's book is 404 whatever is sent.
        var project = app.MapOwnedProjectGroup("", "Projects");
        project.MapPut("/", UpdateAsync).WithValidation<ProjectRequest>();
        project.MapDelete("/", DeleteAsync);
        return app;
    }

    /// <summary>
    /// An <c>Idempotency-Key</c> header makes a retried create safe: the same key from the same writer answers 200 with the
    /// book that key created (whatever the body), so a client that lost the first answer never makes a second book.
    /// </summary>
    private static async Task<Results<CreatedAtRoute<ProjectResponse>, Ok<ProjectResponse>>> CreateAsync(
        ProjectRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        if (key is { Length: 0 or > 200 })
        {
            throw ProblemException.BadRequest("The Idempotency-Key header must have 1 to 200 characters.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var parameters = new DynamicParameters(Parameters(request, Guid.CreateVersion7(), user.Id));
        parameters.Add("CreationKey", key);
        var created = await connection.QuerySingleOrDefaultAsync<ProjectRow>(new CommandDefinition(
            $"""
            INSERT INTO projects (id, owner_id, title, subtitle, genre, language, target_word_count, status,
                                  author_name, publisher, rights, identifier, description, subjects, creation_key)
            VALUES (@ProjectId, @OwnerId, @Title, @Subtitle, @Genre, @Language, @TargetWordCount, @Status,
                    @AuthorName, @Publisher, @Rights, @Identifier, @Description, @Subjects, @CreationKey)
            ON CONFLICT (owner_id, creation_key) WHERE creation_key IS NOT NULL DO NOTHING
            RETURNING {ProjectRow.Columns}
            """,
            parameters,
            transaction,
            cancellationToken: cancellationToken));
        if (created is null)
        {
            var earlier = (await connection.QuerySingleAsync<ProjectRow>(new CommandDefinition(
                $"SELECT {ProjectRow.Columns} FROM projects WHERE owner_id = @OwnerId AND creation_key = @key",
                new { OwnerId = user.Id, key }, transaction, cancellationToken: cancellationToken))).ToResponse();
            http.Response.SetETag(earlier.Version);
            return TypedResults.Ok(earlier);
        }

        var project = created.ToResponse();

        var audit = AuditContext.FromRequest(http, user);
        await AuditLog.RecordAsync(transaction, audit, AuditTarget.InProject(project.Id, "project", project.Id), null, project.Snapshot(), cancellationToken);
        await outbox.EnqueueAsync(transaction, new ProjectCreated(
            Guid.CreateVersion7(), audit.CorrelationId, DateTimeOffset.UtcNow, audit.Actor,
            project.Id, user.Id, project.Title, project.Language, project.Subtitle, project.AuthorName, project.Publisher,
            project.Rights, project.Identifier, project.Description, project.Subjects), project.Id.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        http.Response.SetETag(project.Version);
        return TypedResults.CreatedAtRoute(project, "GetProject", new { projectId = project.Id });
    }

    private static async Task<Ok<ProjectListResponse>> ListAsync(
        [AsParameters] ProjectListQuery query, NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken)
    {
        var (sql, parameters) = query.ToSql(user.Id);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ProjectRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList();
        var limit = query.Limit ?? ProjectListQuery.DefaultLimit;
        var page = rows.Take(limit).Select(row => row.ToResponse()).ToList();
        return TypedResults.Ok(new ProjectListResponse(page, rows.Count > limit ? query.NextCursor(page[^1]) : null));
    }

    private static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> GetAsync(
        Guid projectId, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var project = await FindAsync(connection, null, projectId, user.Id, lockRow: false, cancellationToken);
        if (project is null)
        {
            return Problems.NotFound($"Project {projectId} does not exist.");
        }

        http.Response.SetETag(project.Version);
        return TypedResults.Ok(project);
    }

    private static async Task<Ok<ProjectResponse>> UpdateAsync(
        Guid projectId, ProjectRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await FindAsync(connection, transaction, projectId, user.Id, lockRow: true, cancellationToken)
            ?? throw ProblemException.NotFound($"Project {projectId} does not exist.");
        if (before.Version != expected)
        {
            throw ProblemException.PreconditionFailed($"Project {projectId} is at version {before.Version}, not {expected}: read it again and reapply your change.");
        }

        var project = (await connection.QuerySingleAsync<ProjectRow>(new CommandDefinition(
            $"""
            UPDATE projects
            SET title = @Title, subtitle = @Subtitle, genre = @Genre, language = @Language, target_word_count = @TargetWordCount,
                status = @Status, author_name = @AuthorName, publisher = @Publisher, rights = @Rights, identifier = @Identifier,
                description = @Description, subjects = @Subjects, version = version + 1, updated_at = now()
            WHERE id = @ProjectId
            RETURNING {ProjectRow.Columns}
            """,
            Parameters(request with { Status = request.Status ?? before.Status }, projectId, user.Id),
            transaction,
            cancellationToken: cancellationToken))).ToResponse();

        var audit = AuditContext.FromRequest(http, user);
        await AuditLog.RecordAsync(transaction, audit, AuditTarget.InProject(projectId, "project", projectId), before.Snapshot(), project.Snapshot(), cancellationToken);
        await outbox.EnqueueAsync(transaction, new ProjectUpdated(
            Guid.CreateVersion7(), audit.CorrelationId, DateTimeOffset.UtcNow, audit.Actor, projectId, user.Id,
            project.Title, project.Subtitle, project.Language, project.Status, project.AuthorName, project.Publisher,
            project.Rights, project.Identifier, project.Description, project.Subjects), projectId.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        http.Response.SetETag(project.Version);
        return TypedResults.Ok(project);
    }

    /// <summary>
    /// Removes the book and everything Projects holds for it (child rows cascade, its audit trail goes too), and tells
    /// every other service to do the same. If-Match is optional here; when sent, it must be current.
    /// </summary>
    private static async Task<NoContent> DeleteAsync(
        Guid projectId, NpgsqlDataSource db, IOutbox outbox, RememberedOwnership owners, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        int? expected = http.Request.Headers.IfMatch.Count > 0 ? http.Request.RequiredIfMatchVersion() : null;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var project = await FindAsync(connection, transaction, projectId, user.Id, lockRow: true, cancellationToken)
            ?? throw ProblemException.NotFound($"Project {projectId} does not exist.");
        if (expected is { } version && version != project.Version)
        {
            throw ProblemException.PreconditionFailed($"Project {projectId} is at version {project.Version}, not {version}: it changed since you read it.");
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM audit_log WHERE project_id = @projectId;
            DELETE FROM projects WHERE id = @projectId;
            """,
            new { projectId }, transaction, cancellationToken: cancellationToken));
        var audit = AuditContext.FromRequest(http, user);
        await outbox.EnqueueAsync(transaction, new ProjectDeleted(
            Guid.CreateVersion7(), audit.CorrelationId, DateTimeOffset.UtcNow, audit.Actor, projectId, user.Id), projectId.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        owners.Forget(projectId);
        return TypedResults.NoContent();
    }

    private static async Task<ProjectResponse?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid projectId, Guid ownerId, bool lockRow, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<ProjectRow>(new CommandDefinition(
            $"SELECT {ProjectRow.Columns} FROM projects WHERE id = @projectId AND owner_id = @ownerId{(lockRow ? " FOR UPDATE" : "")}",
            new { projectId, ownerId }, transaction, cancellationToken: cancellationToken)))?.ToResponse();

    private static object Parameters(ProjectRequest request, Guid projectId, Guid ownerId) => new
    {
        ProjectId = projectId,
        OwnerId = ownerId,
        Title = request.Title.Trim(),
        Subtitle = request.Subtitle?.Trim(),
        request.Genre,
        Language = request.Language ?? "en",
        request.TargetWordCount,
        Status = request.Status ?? ProjectStatuses.Draft,
        AuthorName = request.AuthorName?.Trim(),
        Publisher = request.Publisher?.Trim(),
        request.Rights,
        Identifier = string.IsNullOrWhiteSpace(request.Identifier) ? null : request.Identifier.Trim(),
        request.Description,
        Subjects = (request.Subjects ?? []).Select(subject => subject.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
    };
}
