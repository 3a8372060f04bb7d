using Dapper;
using Folio.Contracts.Versioning;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.History;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Versioning.Api.Features.Versions;

public sealed record VersionView(string Name, int Major, int Minor, int Patch, string CommitId, string Status, string? Message, string CreatedBy, DateTime CreatedAt);

public sealed record CreateVersionRequest(string? Bump, string? Version, string? Ref, string? Message);

public sealed record ChangeStatusRequest(string? Status);

/// <summary>Semantic versions of the book (v1.0, v1.1, v2.0) with status draft → completed → published; published is frozen.</summary>
public static class VersionsApi
{
    private static readonly string[] Statuses = ["draft", "completed", "published"];

    private const string SelectVersion =
        """
        SELECT name AS Name, major AS Major, minor AS Minor, patch AS Patch, commit_id AS CommitId, status AS Status,
               message AS Message, created_by AS CreatedBy, created_at AS CreatedAt
        FROM versions
        """;

    public static IEndpointRouteBuilder MapVersionsApi(this IEndpointRouteBuilder app)
    {
        var versions = app.MapOwnedProjectGroup("/versions", "Versions");
        versions.MapGet("/", ListAsync);
        versions.MapPost("/", CreateAsync);
        versions.MapPost("/{name}/status", ChangeStatusAsync);
        versions.MapDelete("/{name}", DeleteAsync);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<VersionView>>> ListAsync(Guid projectId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var versions = await connection.QueryAsync<VersionView>(new CommandDefinition(
            SelectVersion + " WHERE project_id = @projectId ORDER BY major DESC, minor DESC, patch DESC", new { projectId }, cancellationToken: cancellationToken));
        return TypedResults.Ok<IReadOnlyList<VersionView>>(versions.ToList());
    }

    private static async Task<Created<VersionView>> CreateAsync(
        Guid projectId, CreateVersionRequest request, HistoryStore history, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user,
        HttpContext http, CancellationToken cancellationToken)
    {
        var created = await CreateVersionAsync(
            projectId, request, Statuses[0], history, db, outbox, user, http.GetCorrelationId(), cancellationToken);
        return TypedResults.Created($"/api/v1/projects/{projectId}/versions/{created.Name}", created);
    }

    /// <summary>
    /// Tags a ref with the version the request names or bumps to, with <paramref name="status"/> from the start (an
    /// imported book's versions keep theirs), and <c>VersionTagged</c> in the same transaction. REST and gRPC's
    /// <c>CreateVersion</c> both come here.
    /// </summary>
    public static async Task<VersionView> CreateVersionAsync(
        Guid projectId, CreateVersionRequest request, string status, HistoryStore history, NpgsqlDataSource db, IOutbox outbox,
        ICurrentUser user, Guid correlationId, CancellationToken cancellationToken)
    {
        if (!Statuses.Contains(status))
        {
            throw ProblemException.BadRequest("status must be draft, completed or published.");
        }

        var commitId = await history.ResolveRequiredAsync(projectId, request.Ref ?? RefNames.MainBranch, cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Serializes version numbering per book, so two bumps never compute the same number.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM repositories WHERE project_id = @projectId FOR UPDATE", new { projectId }, transaction, cancellationToken: cancellationToken));
        var version = await NextVersionAsync(connection, transaction, projectId, request, cancellationToken);

        try
        {
            var created = await connection.QuerySingleAsync<VersionView>(new CommandDefinition(
                """
                INSERT INTO versions (project_id, name, major, minor, patch, commit_id, status, message, created_by)
                VALUES (@projectId, @Name, @Major, @Minor, @Patch, @commitId, @status, @Message, @createdBy)
                RETURNING name AS Name, major AS Major, minor AS Minor, patch AS Patch, commit_id AS CommitId, status AS Status,
                          message AS Message, created_by AS CreatedBy, created_at AS CreatedAt
                """,
                new { projectId, Name = version.ToString(), version.Major, version.Minor, version.Patch, commitId, status, request.Message, createdBy = user.Id.ToString() },
                transaction, cancellationToken: cancellationToken));
            await outbox.EnqueueAsync(transaction, new VersionTagged(
                Guid.CreateVersion7(), correlationId, DateTimeOffset.UtcNow, Folio.Contracts.Actor.User(user.Id, user.Email),
                projectId, created.Name, commitId, created.Status), projectId.ToString(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return created;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ProblemException.Conflict($"Version {version} already exists.");
        }
    }

    private static async Task<SemanticVersion> NextVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid projectId, CreateVersionRequest request, CancellationToken cancellationToken)
    {
        if (request.Version is not null)
        {
            return SemanticVersion.TryParse(request.Version, out var explicitVersion)
                ? explicitVersion
                : throw ProblemException.BadRequest($"'{request.Version}' is not a version like v1.0, v1.1 or v2.0.1.");
        }

        if (request.Bump is not ("major" or "minor" or "patch"))
        {
            throw ProblemException.BadRequest("Give either version (e.g. v1.2) or bump: major, minor or patch.");
        }

        var latest = await connection.QuerySingleOrDefaultAsync<(int Major, int Minor, int Patch)?>(new CommandDefinition(
            "SELECT major, minor, patch FROM versions WHERE project_id = @projectId ORDER BY major DESC, minor DESC, patch DESC LIMIT 1",
            new { projectId }, transaction, cancellationToken: cancellationToken));
        var current = latest is { } found ? new SemanticVersion(found.Major, found.Minor, found.Patch) : new SemanticVersion(0, 0, 0);
        return current.Bump(request.Bump);
    }

    private static async Task<Ok<VersionView>> ChangeStatusAsync(
        Guid projectId, string name, ChangeStatusRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user,
        HttpContext http, CancellationToken cancellationToken)
    {
        var target = Array.IndexOf(Statuses, request.Status);
        if (target < 0)
        {
            throw ProblemException.BadRequest("status must be draft, completed or published.");
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT status FROM versions WHERE project_id = @projectId AND name = @name FOR UPDATE", new { projectId, name }, transaction, cancellationToken: cancellationToken))
            ?? throw ProblemException.NotFound($"Version {name} does not exist.");
        if (current == "published")
        {
            throw ProblemException.Unprocessable($"Version {name} is published and frozen.");
        }

        if (target <= Array.IndexOf(Statuses, current))
        {
            throw ProblemException.Unprocessable($"Version {name} is {current}; status only moves forward: draft → completed → published.");
        }

        var updated = await connection.QuerySingleAsync<VersionView>(new CommandDefinition(
            $"""
            UPDATE versions SET status = @Status WHERE project_id = @projectId AND name = @name;
            INSERT INTO version_status_changes (project_id, name, from_status, to_status, changed_by) VALUES (@projectId, @name, @current, @Status, @changedBy);
            {SelectVersion} WHERE project_id = @projectId AND name = @name
            """,
            new { projectId, name, request.Status, current, changedBy = user.Id.ToString() }, transaction, cancellationToken: cancellationToken));
        await outbox.EnqueueAsync(transaction, new VersionStatusChanged(
            Guid.CreateVersion7(), http.GetCorrelationId(), DateTimeOffset.UtcNow, Folio.Contracts.Actor.User(user.Id, user.Email),
            projectId, name, current, request.Status!), projectId.ToString(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(updated);
    }

    private static async Task<NoContent> DeleteAsync(Guid projectId, string name, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM versions WHERE project_id = @projectId AND name = @name", new { projectId, name }, cancellationToken: cancellationToken));
            return deleted == 1 ? TypedResults.NoContent() : throw ProblemException.NotFound($"Version {name} does not exist.");
        }
        catch (PostgresException exception) when (exception.SqlState == "FZ001")
        {
            throw ProblemException.Unprocessable($"Version {name} is published and frozen.");
        }
    }
}
