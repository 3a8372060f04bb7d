using Dapper;
using Folio.ServiceDefaults.Data;
using Folio.Tests.Infrastructure;
using Folio.Versioning.Api.Features.Content;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Folio.Versioning.Tests.Storage;

/// <summary>A fresh database with the Versioning migrations applied (by the service's own runner), shared by a test class.</summary>
public sealed class ContentDatabase : IAsyncLifetime
{
    private IHost? host;

    public NpgsqlDataSource DataSource => host!.Services.GetRequiredService<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Versioning"] = TestInfrastructure.NewDatabase("content"),
            ["Database:CreateIfMissing"] = "true",
        });
        builder.AddFolioDatabase("Versioning", typeof(Folio.Versioning.Api.Extensions).Assembly);
        host = builder.Build();
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    /// <summary>A store as a new process would have it: nothing cached.</summary>
    public ContentStore NewStore(TimeSpan? gcGracePeriod = null, long sealedPackBytes = 8L * 1024 * 1024) =>
        new(DataSource, Microsoft.Extensions.Options.Options.Create(new ContentStoreOptions
        {
            GcGracePeriod = gcGracePeriod ?? TimeSpan.Zero,
            SealedPackBytes = sealedPackBytes,
        }));

    public async Task<Guid> NewProjectAsync()
    {
        var projectId = Guid.NewGuid();
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO repositories (project_id, owner_id, default_branch) VALUES (@projectId, @ownerId, 'main')",
            new { projectId, ownerId = Guid.NewGuid() });
        return projectId;
    }

    public async Task<string> WriteAsync(ContentStore store, Guid projectId, string text)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await store.WriteAsync(transaction, projectId, text, CancellationToken.None);
        await transaction.CommitAsync();
        return id;
    }

    public async Task<IReadOnlyList<string>> WriteAllAsync(ContentStore store, Guid projectId, IEnumerable<string> texts)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ids = new List<string>();
        foreach (var text in texts)
        {
            ids.Add(await store.WriteAsync(transaction, projectId, text, CancellationToken.None));
        }

        await transaction.CommitAsync();
        return ids;
    }
}
