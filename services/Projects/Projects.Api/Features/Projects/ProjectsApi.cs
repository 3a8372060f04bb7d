using Dapper;
using Folio.Contracts;
using Folio.Contracts.Projects;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.Projects;

public static class ProjectsApi
{
    private const string SelectProject =
        """
        SELECT id AS Id, title AS Title, subtitle AS Subtitle, genre AS Genre, language AS Language,
               target_word_count AS TargetWordCount, status AS Status, version AS Version,
               created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM projects
        """;

    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/v1/projects").RequireAuthorization().WithTags("Projects");
        projects.MapPost("/", CreateAsync).WithValidation<CreateProjectRequest>();
        projects.MapGet("/", ListAsync);
        projects.MapGet("/{projectId:guid}", GetAsync).WithName("GetProject");
        return app;
    }

    private static async Task<CreatedAtRoute<ProjectResponse>> CreateAsync(
        CreateProjectRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var projectId = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var project = await connection.QuerySingleAsync<ProjectResponse>(new CommandDefinition(
            """
            INSERT INTO projects (id, owner_id, title, subtitle, genre, language, target_word_count)
            VALUES (@ProjectId, @OwnerId, @Title, @Subtitle, @Genre, @Language, @TargetWordCount)
            RETURNING id AS Id, title AS Title, subtitle AS Subtitle, genre AS Genre, language AS Language,
                      target_word_count AS TargetWordCount, status AS Status, version AS Version,
                      created_at AS CreatedAt, updated_at AS UpdatedAt
            """,
            new
            {
                ProjectId = projectId,
                OwnerId = user.Id,
                Title = request.Title.Trim(),
                Subtitle = request.Subtitle?.Trim(),
                request.Genre,
                Language = request.Language ?? "en",
                request.TargetWordCount,
            },
            transaction,
            cancellationToken: cancellationToken));

        await outbox.EnqueueAsync(transaction, new ProjectCreated(
            Guid.CreateVersion7(), http.GetCorrelationId(), DateTimeOffset.UtcNow, Actor.User(user.Id, user.Email),
            project.Id, user.Id, project.Title, project.Language), project.Id.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        http.Response.Headers.ETag = project.ETag;
        return TypedResults.CreatedAtRoute(project, "GetProject", new { projectId = project.Id });
    }

    private static async Task<Ok<ProjectListResponse>> ListAsync(NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken, int limit = 50)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<ProjectResponse>(new CommandDefinition(
            SelectProject + " WHERE owner_id = @OwnerId ORDER BY created_at DESC, id LIMIT @Limit",
            new { OwnerId = user.Id, Limit = Math.Clamp(limit, 1, 200) },
            cancellationToken: cancellationToken));
        return TypedResults.Ok(new ProjectListResponse(items.ToList()));
    }

    private static async Task<Results<Ok<ProjectResponse>, ProblemHttpResult>> GetAsync(
        Guid projectId, NpgsqlDataSource db, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var project = await connection.QuerySingleOrDefaultAsync<ProjectResponse>(new CommandDefinition(
            SelectProject + " WHERE id = @ProjectId AND owner_id = @OwnerId",
            new { ProjectId = projectId, OwnerId = user.Id },
            cancellationToken: cancellationToken));
        if (project is null)
        {
            return Problems.NotFound($"Project {projectId} does not exist.");
        }

        http.Response.Headers.ETag = project.ETag;
        return TypedResults.Ok(project);
    }
}
