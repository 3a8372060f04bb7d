using Dapper;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.History;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Versioning.Api.Features.Locks;

public sealed record AcquireLockRequest(string? Branch, string? Holder, int? TtlSeconds);

public sealed record RenewLockRequest(Guid? Token, int? TtlSeconds);

public sealed record LockView(string Branch, string Holder, Guid Token, DateTime ExpiresAt);

/// <summary>
/// Generation locks: a lease on (book, branch). While it is held, only a commit carrying its token lands on the
/// branch; the holder renews it, releases it, or it expires.
/// </summary>
public static class LocksApi
{
    public static IEndpointRouteBuilder MapLocksApi(this IEndpointRouteBuilder app)
    {
        var locks = app.MapOwnedProjectGroup("/locks", "Locks");
        locks.MapPost("/", AcquireAsync);
        locks.MapPut("/{branch}", RenewAsync);
        locks.MapDelete("/{branch}", ReleaseAsync);
        return app;
    }

    private static async Task<Created<LockView>> AcquireAsync(Guid projectId, AcquireLockRequest request, HistoryStore history, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var branch = request.Branch ?? RefNames.MainBranch;
        if (string.IsNullOrWhiteSpace(request.Holder) || request.Holder.Length > 200)
        {
            throw ProblemException.BadRequest("holder (who takes the lock, e.g. a generation job id) is required, at most 200 characters.");
        }

        var ttl = Ttl(request.TtlSeconds);
        await history.GetBranchHeadAsync(projectId, branch, cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var taken = await connection.QuerySingleOrDefaultAsync<LockView>(new CommandDefinition(
            """
            INSERT INTO generation_locks (project_id, branch, holder, token, expires_at)
            VALUES (@projectId, @branch, @Holder, gen_random_uuid(), now() + @ttl)
            ON CONFLICT (project_id, branch) DO UPDATE
                SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
                WHERE generation_locks.expires_at <= now()
            RETURNING branch AS Branch, holder AS Holder, token AS Token, expires_at AS ExpiresAt
            """,
            new { projectId, branch, request.Holder, ttl }, cancellationToken: cancellationToken));
        if (taken is null)
        {
            var holder = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT holder FROM generation_locks WHERE project_id = @projectId AND branch = @branch", new { projectId, branch }, cancellationToken: cancellationToken));
            throw ProblemException.Conflict($"Branch '{branch}' is already locked by {holder}.");
        }

        return TypedResults.Created($"/api/v1/projects/{projectId}/locks/{branch}", taken);
    }

    private static async Task<Ok<LockView>> RenewAsync(Guid projectId, string branch, RenewLockRequest request, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var renewed = await connection.QuerySingleOrDefaultAsync<LockView>(new CommandDefinition(
            """
            UPDATE generation_locks SET expires_at = now() + @ttl
            WHERE project_id = @projectId AND branch = @branch AND token = @Token AND expires_at > now()
            RETURNING branch AS Branch, holder AS Holder, token AS Token, expires_at AS ExpiresAt
            """,
            new { projectId, branch, request.Token, ttl = Ttl(request.TtlSeconds) }, cancellationToken: cancellationToken));
        return renewed is null
            ? throw ProblemException.Conflict($"No lock on '{branch}' with this token is held any more (released, expired or taken by someone else).")
            : TypedResults.Ok(renewed);
    }

    private static async Task<NoContent> ReleaseAsync(Guid projectId, string branch, Guid token, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var released = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM generation_locks WHERE project_id = @projectId AND branch = @branch AND token = @token",
            new { projectId, branch, token }, cancellationToken: cancellationToken));
        return released == 1 ? TypedResults.NoContent() : throw ProblemException.Conflict($"No lock on '{branch}' with this token is held.");
    }

    private static TimeSpan Ttl(int? seconds) => seconds switch
    {
        null => TimeSpan.FromMinutes(10),
        >= 10 and <= 3600 => TimeSpan.FromSeconds(seconds.Value),
        _ => throw ProblemException.BadRequest("ttlSeconds must be between 10 and 3600."),
    };
}
