using Dapper;
using Folio.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.ServiceDefaults.Tests.Messaging;

public sealed class MigrationRunnerTests
{
    [Fact]
    public async Task Replicas_starting_together_apply_each_migration_exactly_once()
    {
        var connectionString = TestInfrastructure.NewDatabase("migrations");

        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => MessagingHost.StartAsync(connectionString, relayOutbox: false)));
        try
        {
            await using var connection = await hosts[0].Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            var versions = (await connection.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY applied_at")).ToList();
            versions.Should().Equal("defaults:0001_messaging", "messagingtests:0001_received");
            (await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('outbox_messages') IS NOT NULL")).Should().BeTrue();
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }
}
