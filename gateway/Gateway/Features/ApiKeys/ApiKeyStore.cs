using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace Folio.Gateway.Features.ApiKeys;

public sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt);

public sealed record ApiKeyOwner(Guid KeyId, Guid UserId, string Email, string DisplayName);

public sealed class ApiKeyStore(NpgsqlDataSource db)
{
    private const string SelectKey =
        """
        SELECT id AS Id, name AS Name, prefix AS Prefix, created_at AS CreatedAt, expires_at AS ExpiresAt,
               last_used_at AS LastUsedAt, revoked_at AS RevokedAt
        FROM api_keys
        """;

    public async Task<(ApiKeyResponse Key, string Secret)> CreateAsync(Guid userId, string name, DateTime? expiresAt, CancellationToken cancellationToken)
    {
        var (secret, prefix, hash) = ApiKeyFormat.Generate();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var key = await connection.QuerySingleAsync<ApiKeyResponse>(new CommandDefinition(
            """
            INSERT INTO api_keys (id, user_id, name, prefix, key_hash, expires_at)
            VALUES (@Id, @UserId, @Name, @Prefix, @Hash, @ExpiresAt)
            RETURNING id AS Id, name AS Name, prefix AS Prefix, created_at AS CreatedAt, expires_at AS ExpiresAt,
                      last_used_at AS LastUsedAt, revoked_at AS RevokedAt
            """,
            new { Id = Guid.CreateVersion7(), UserId = userId, Name = name, Prefix = prefix, Hash = hash, ExpiresAt = expiresAt },
            cancellationToken: cancellationToken));
        return (key, secret);
    }

    public async Task<IReadOnlyList<ApiKeyResponse>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var keys = await connection.QueryAsync<ApiKeyResponse>(new CommandDefinition(
            SelectKey + " WHERE user_id = @userId ORDER BY created_at DESC", new { userId }, cancellationToken: cancellationToken));
        return keys.ToList();
    }

    /// <returns>False when the key does not exist for this user or was already revoked.</returns>
    public async Task<bool> RevokeAsync(Guid userId, Guid keyId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = now() WHERE id = @keyId AND user_id = @userId AND revoked_at IS NULL",
            new { keyId, userId },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <returns>The key's owner when the key is genuine, unrevoked and unexpired; otherwise null.</returns>
    public async Task<ApiKeyOwner?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(key, out var prefix))
        {
            return null;
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(Guid KeyId, byte[] Hash, Guid UserId, string Email, string DisplayName)>(new CommandDefinition(
            """
            SELECT k.id, k.key_hash, u.id, u.email, u.display_name
            FROM api_keys k JOIN users u ON u.id = k.user_id
            WHERE k.prefix = @prefix AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
            """,
            new { prefix },
            cancellationToken: cancellationToken));
        if (row.Hash is null || !CryptographicOperations.FixedTimeEquals(row.Hash, ApiKeyFormat.Hash(key)))
        {
            return null;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET last_used_at = now() WHERE id = @KeyId AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
            new { row.KeyId },
            cancellationToken: cancellationToken));
        return new ApiKeyOwner(row.KeyId, row.UserId, row.Email, row.DisplayName);
    }
}
