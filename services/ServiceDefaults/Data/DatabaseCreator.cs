using Dapper;
using Npgsql;

namespace Folio.ServiceDefaults.Data;

/// <summary>Development convenience: creates the service's database on the same server when it does not exist yet.</summary>
public static class DatabaseCreator
{
    public static async Task EnsureExistsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };

        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @database)", new { database }, cancellationToken: cancellationToken));
        if (exists)
        {
            return;
        }

        try
        {
            var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await connection.ExecuteAsync(new CommandDefinition($"CREATE DATABASE {quoted}", cancellationToken: cancellationToken));
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another replica created it between our check and our CREATE.
        }
    }
}
