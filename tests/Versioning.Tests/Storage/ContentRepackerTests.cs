using Dapper;
using Folio.ServiceDefaults.Data;
using Folio.Tests.Infrastructure;
using Folio.Versioning.Api.Features.Content;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Folio.Versioning.Tests.Storage;

public sealed class ContentRepackerTests
{
    [Fact]
    public async Task The_background_repacker_packs_a_project_once_it_has_enough_loose_objects()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Versioning"] = TestInfrastructure.NewDatabase("repacker"),
            ["Database:CreateIfMissing"] = "true",
            ["Content:RepackInterval"] = "00:00:00.200",
            ["Content:RepackLooseObjects"] = "20",
        });
        builder.AddFolioDatabase("Versioning", typeof(Folio.Versioning.Api.Extensions).Assembly);
        builder.AddContentStore();
        using var host = builder.Build();
        await host.StartAsync();
        var db = host.Services.GetRequiredService<NpgsqlDataSource>();
        var store = host.Services.GetRequiredService<ContentStore>();
        var busy = Guid.NewGuid();
        var quiet = Guid.NewGuid();
        await using (var connection = await db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO repositories (project_id, owner_id, default_branch) VALUES (@busy, @busy, 'main'), (@quiet, @quiet, 'main')", new { busy, quiet });
        }

        var ids = new List<string>();
        foreach (var revision in Corpus.Load().Take(12))
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            ids.Add(await store.WriteAsync(transaction, busy, revision.Markdown, CancellationToken.None));
            await store.WriteAsync(transaction, quiet, "A few words.", CancellationToken.None);
            await transaction.CommitAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await store.GetStatsAsync(busy, CancellationToken.None)).LooseBytes > 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the repacker should pack a project past its loose-object threshold");
            await Task.Delay(100);
        }

        (await store.GetStatsAsync(busy, CancellationToken.None)).Packs.Should().Be(1);
        (await store.GetStatsAsync(quiet, CancellationToken.None)).Packs.Should().Be(0, "two loose objects are below every threshold");
        (await store.ReadManyAsync(busy, ids, CancellationToken.None)).Values.Should().Equal(Corpus.Load().Take(12).Select(revision => revision.Markdown));
        await host.StopAsync();
    }
}
