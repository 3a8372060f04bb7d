using Dapper;
using Folio.ServiceDefaults.Data;
using Folio.Tests.Infrastructure;
using Folio.Versioning.Api.Features.Content;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Versioning.Tests.Storage;

public sealed class ContentRepackerTests
{
    [Fact]
    public async Task The_background_repacker_packs_a_project_once_it_has_enough_loose_objects()
    {
        using var host = await StartAsync(new() { ["Content:RepackLooseObjects"] = "20" });
        var (store, busy, quiet) = (host.Services.GetRequiredService<ContentStore>(), Guid.NewGuid(), Guid.NewGuid());
        await AddRepositoriesAsync(host, busy, quiet);

        var ids = new List<string>();
        foreach (var revision in Corpus.Load().Take(12))
        {
            ids.Add(await WriteAsync(host, busy, revision.Markdown));
            await WriteAsync(host, quiet, "A few words.");
        }

        await WaitUntilPackedAsync(store, busy, TimeSpan.FromSeconds(30), "the repacker should pack a project past its loose-object threshold");
        (await store.GetStatsAsync(busy, CancellationToken.None)).Packs.Should().Be(1);
        (await store.GetStatsAsync(quiet, CancellationToken.None)).Packs.Should().Be(0, "two loose objects are below every threshold");
        (await store.ReadManyAsync(busy, ids, CancellationToken.None)).Values.Should().Equal(Corpus.Load().Take(12).Select(revision => revision.Markdown));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_project_past_the_count_waits_while_the_store_is_written_to_and_is_packed_once_it_is_quiet()
    {
        using var host = await StartAsync(new() { ["Content:RepackLooseObjects"] = "20", ["Content:RepackQuietPeriod"] = "00:00:01" });
        var (store, book, other) = (host.Services.GetRequiredService<ContentStore>(), Guid.NewGuid(), Guid.NewGuid());
        await AddRepositoriesAsync(host, book, other);
        foreach (var revision in Corpus.Load().Take(12))
        {
            await WriteAsync(host, book, revision.Markdown);
        }

        // Another book's commits every 200 ms for three seconds, fifteen repacker ticks.
        for (var commit = 0; commit < 15; commit++)
        {
            await WriteAsync(host, other, $"Commit {commit} of the other book.");
            await Task.Delay(200);
        }

        (await store.GetStatsAsync(book, CancellationToken.None)).Packs.Should().Be(0, "the store was written to within the quiet period at every tick");
        await WaitUntilPackedAsync(store, book, TimeSpan.FromSeconds(20), "the repacker should pack the book once the store has been quiet for a second");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_project_with_an_overdue_loose_object_is_packed_while_the_store_is_written_to()
    {
        using var host = await StartAsync(new() { ["Content:RepackLooseAge"] = "00:00:01", ["Content:RepackQuietPeriod"] = "01:00:00" });
        var (store, book, other) = (host.Services.GetRequiredService<ContentStore>(), Guid.NewGuid(), Guid.NewGuid());
        await AddRepositoriesAsync(host, book, other);
        await WriteAsync(host, book, "A few words, left alone.");

        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var commit = 0; !writing.IsCancellationRequested; commit++)
            {
                await WriteAsync(host, other, $"Commit {commit} of the other book.");
                await Task.Delay(100);
            }
        });
        await WaitUntilPackedAsync(store, book, TimeSpan.FromSeconds(20), "a loose object past the age is packed however busy the store is");
        writing.Cancel();
        await writer;
        await host.StopAsync();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2")]
    public async Task A_repack_share_outside_zero_to_one_stops_the_service_at_start(string share)
    {
        var starting = () => StartAsync(new() { ["Content:RepackShare"] = share });

        await starting.Should().ThrowAsync<OptionsValidationException>().WithMessage("*Content:RepackShare must be above 0 and at most 1*");
    }

    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Versioning"] = TestInfrastructure.NewDatabase("repacker"),
            ["Database:CreateIfMissing"] = "true",
            ["Content:RepackInterval"] = "00:00:00.200",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddFolioDatabase("Versioning", typeof(Folio.Versioning.Api.Extensions).Assembly);
        builder.AddContentStore();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task AddRepositoriesAsync(IHost host, Guid first, Guid second)
    {
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO repositories (project_id, owner_id, default_branch) VALUES (@first, @first, 'main'), (@second, @second, 'main')", new { first, second });
    }

    private static async Task<string> WriteAsync(IHost host, Guid projectId, string text)
    {
        await using var connection = await host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await host.Services.GetRequiredService<ContentStore>().WriteAsync(transaction, projectId, text, CancellationToken.None);
        await transaction.CommitAsync();
        return id;
    }

    private static async Task WaitUntilPackedAsync(ContentStore store, Guid projectId, TimeSpan within, string because)
    {
        var deadline = DateTime.UtcNow + within;
        while ((await store.GetStatsAsync(projectId, CancellationToken.None)).LooseBytes > 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, because);
            await Task.Delay(100);
        }
    }
}
