using System.Data.Common;
using System.Reflection;
using Folio.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Folio.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's one <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:{name}</c>, applies the
    /// numbered <c>.sql</c> files embedded in <paramref name="migrationsAssembly"/> (after the shared messaging tables)
    /// before the service starts, and adds the database to the readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddFolioDatabase(this IHostApplicationBuilder builder, string name, Assembly migrationsAssembly)
    {
        var connectionString = builder.Configuration.GetConnectionString(name)
            ?? throw new InvalidOperationException($"ConnectionStrings:{name} is not set.");
        var createIfMissing = builder.Configuration.GetValue("Database:CreateIfMissing", builder.Environment.IsDevelopment());

        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString) { Name = name };
        var settings = dataSourceBuilder.ConnectionStringBuilder;
        if (!Sets(connectionString, "Max Auto Prepare"))
        {
            // The same few statements run thousands of times (outbox, inbox, saga rows): parsing and planning each anew
            // was a large part of PostgreSQL's CPU.
            settings.MaxAutoPrepare = 64;
        }

        if (!Sets(connectionString, "No Reset On Close"))
        {
            // Resetting a pooled connection costs seven statements on its next use. Nothing here leaves session state
            // behind: locks and settings are transaction-scoped, and the outbox relay undoes its LISTEN and lock itself.
            settings.NoResetOnClose = true;
        }

        var dataSource = dataSourceBuilder.Build();
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddSingleton(new MigrationSet(
        [
            MigrationScript.FromAssembly(typeof(DatabaseExtensions).Assembly, "defaults"),
            MigrationScript.FromAssembly(migrationsAssembly, name.ToLowerInvariant()),
        ], createIfMissing, connectionString));
        builder.Services.AddHostedService<MigrationRunner>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>Whether the operator's connection string chose the setting itself (under either of its spellings).</summary>
    private static bool Sets(string connectionString, string keyword) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString } is var given
        && (given.ContainsKey(keyword) || given.ContainsKey(keyword.Replace(" ", "", StringComparison.Ordinal)));
}

internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (NpgsqlException exception)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.", exception);
        }
    }
}
