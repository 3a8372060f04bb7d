using Dapper;
using Folio.ServiceDefaults.Http;
using Npgsql;

namespace Folio.Versioning.Api.Features.Locks;

public sealed record LockView(string Branch, string Holder, Guid Token, DateTime ExpiresAt);

/// <summary>
/// Generation locks: a lease on (book, branch). While it is held, only a commit carrying its token lands on the
/// branch; the holder renews it, releases it, or it expires. REST and gRPC both go through here.
/// </summary>
public sealed class GenerationLocks(NpgsqlDataSource db)
{
    /// <summary>Takes the lock, or renews it when <paramref name="holder"/> already holds it (a retried acquire after a crash).</summary>
    public async Task<LockView> AcquireAsync(Guid projectId, string branch, string? holder, int? ttlSeconds, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(holder) || holder.Length > 200)
        {
            throw ProblemException.BadRequest("holder (who takes the lock, e.g. a generation job id) is required, at most 200 characters.");
        }

        var ttl = Ttl(ttlSeconds);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var taken = await connection.QuerySingleOrDefaultAsync<LockView>(new CommandDefinition(
            """
            INSERT INTO generation_locks (project_id, branch, holder, token, expires_at)
            VALUES (@projectId, @branch, @holder, gen_random_uuid(), now() + @ttl)
            ON CONFLICT (project_id, branch) DO UPDATE
                SET holder = excluded.holder,
                    token = CASE WHEN generation_locks.holder = excluded.holder AND generation_locks.expires_at > now()
                                 THEN generation_locks.token ELSE excluded.token END,
                    expires_at = excluded.expires_at
                WHERE generation_locks.expires_at <= now() OR generation_locks.holder = excluded.holder
            RETURNING branch AS Branch, holder AS Holder, token AS Token, expires_at AS ExpiresAt
            """,
            new { projectId, branch, holder, ttl }, cancellationToken: cancellationToken));
        if (taken is null)
        {
            var current = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT holder FROM generation_locks WHERE project_id = @projectId AND branch = @branch", new { projectId, branch }, cancellationToken: cancellationToken));
            throw ProblemException.Conflict($"Branch '{branch}' is already locked by {current}.");
        }

        return taken;
    }

    public async Task<LockView> RenewAsync(Guid projectId, string branch, Guid? token, int? ttlSeconds, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var renewed = await connection.QuerySingleOrDefaultAsync<LockView>(new CommandDefinition(
            """
            UPDATE generation_locks SET expires_at = now() + @ttl
            WHERE project_id = @projectId AND branch = @branch AND token = @token AND expires_at > now()
            RETURNING branch AS Branch, holder AS Holder, token AS Token, expires_at AS ExpiresAt
            """,
            new { projectId, branch, token, ttl = Ttl(ttlSeconds) }, cancellationToken: cancellationToken));
        return renewed ?? throw ProblemException.Conflict($"No lock on '{branch}' with this token is held any more (released, expired or taken by someone else).");
    }

    /// <returns>False when no lock with this token was held (already released or expired).</returns>
    public async Task<bool> ReleaseAsync(Guid projectId, string branch, Guid token, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM generation_locks WHERE project_id = @projectId AND branch = @branch AND token = @token",
            new { projectId, branch, token }, cancellationToken: cancellationToken)) == 1;
    }

    private static TimeSpan Ttl(int? seconds) => seconds switch
    {
        null or 0 => TimeSpan.FromMinutes(10),
        >= 10 and <= 3600 => TimeSpan.FromSeconds(seconds.Value),
        _ => throw ProblemException.BadRequest("ttlSeconds must be between 10 and 3600."),
    };
}
