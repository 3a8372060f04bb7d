using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Folio.ServiceDefaults.Data;

/// <summary>
/// Applies pending migrations once per database, whatever number of replicas start at once: the first takes a
/// PostgreSQL advisory lock, the others wait for it and then find nothing left to do. Each script runs in its own
/// transaction together with its row in <c>schema_migrations</c>, so a failed script leaves no trace.
/// </summary>
internal sealed partial class MigrationRunner(NpgsqlDataSource dataSource, MigrationSet migrations, ILogger<MigrationRunner> logger) : IHostedService
{
    private const long MigrationLockKey = 0x466F6C696F4D6967; // "FolioMig"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (migrations.CreateDatabaseIfMissing)
        {
            await DatabaseCreator.EnsureExistsAsync(migrations.ConnectionString, cancellationToken);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@MigrationLockKey)", new { MigrationLockKey }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<string>(new CommandDefinition("SELECT version FROM schema_migrations", cancellationToken: cancellationToken))).ToHashSet();

            foreach (var script in migrations.Groups.SelectMany(group => group).Where(script => !applied.Contains(script.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version) VALUES (@Version)", new { script.Version }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                LogApplied(script.Version);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@MigrationLockKey)", new { MigrationLockKey });
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version}")]
    private partial void LogApplied(string version);
}
