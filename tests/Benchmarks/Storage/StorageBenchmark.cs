using System.Diagnostics;
using System.Globalization;
using Dapper;
using Folio.ServiceDefaults.Data;
using Folio.Tests.Infrastructure;
using Folio.Versioning.Api.Features.Content;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Folio.Benchmarks;

/// <summary>
/// The Versioning content store on the whole corpus history, in one run: bytes stored after a repack next to git's
/// packs of the same history, and read latency of random revisions through <see cref="ContentStore.ReadAsync"/>.
/// Uses a fresh database beside the one named in the connection string and drops it at the end.
/// </summary>
internal sealed class StorageBenchmark(NpgsqlDataSource db, IReadOnlyList<CorpusRevision> revisions, Options options)
{
    private readonly string[] ids = new string[revisions.Count];
    private Guid projectId;

    public static async Task<int> RunAsync(string connectionString, Options options)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString) { Database = $"folio_storage_{Guid.NewGuid():N}"[..28] };
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "Folio.Benchmarks", EnvironmentName = Environments.Production });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Versioning"] = database.ConnectionString,
                ["Database:CreateIfMissing"] = "true",
            });
            builder.AddFolioDatabase("Versioning", typeof(Folio.Versioning.Api.Extensions).Assembly);
            using var host = builder.Build();
            await host.StartAsync();
            await new StorageBenchmark(host.Services.GetRequiredService<NpgsqlDataSource>(), Corpus.Load(), options).RunAsync();
            await host.StopAsync();
            return 0;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS \"{database.Database}\" WITH (FORCE)");
        }
    }

    private async Task RunAsync()
    {
        await WarmUpAsync();
        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine(Invariant($"corpus: {revisions.Count} revisions of {revisions.Select(r => r.Chapter).Distinct().Count()} chapters in {revisions.Select(r => r.Seq).Distinct().Count()} commits, {revisions.Sum(r => (long)System.Text.Encoding.UTF8.GetByteCount(r.Markdown)):N0} bytes of Markdown"));

        projectId = await NewProjectAsync();
        var store = NewStore();
        var stopwatch = Stopwatch.StartNew();
        var perCommit = await ReplayAsync(store);
        Console.WriteLine(Invariant($"write: {revisions.Count} texts ({ids.Distinct().Count()} distinct), one transaction per commit, {stopwatch.Elapsed.TotalSeconds:F1} s; per commit {perCommit}"));
        var loose = await store.GetStatsAsync(projectId, CancellationToken.None);
        Console.WriteLine(Invariant($"loose (before repack): {loose.LooseTexts} texts + {loose.LooseChunks} chunks = {loose.LooseBytes:N0} bytes (ids + compressed chunks + manifests)"));
        var beforeRepack = NewStore();
        Console.WriteLine($"read, loose, one store: {await ReadRandomAsync(() => beforeRepack, options.Messages)}");
        Console.WriteLine($"read, loose, a new store for every read (always from the database): {await ReadRandomAsync(NewStore, Math.Min(options.Messages, 1_000))}");

        stopwatch.Restart();
        var repack = await store.RepackAsync(projectId, CancellationToken.None);
        Console.WriteLine(Invariant($"repack: {repack.LooseObjectsPacked} loose objects into {repack.PacksWritten} pack in {stopwatch.Elapsed.TotalSeconds:F1} s"));
        var stats = await store.GetStatsAsync(projectId, CancellationToken.None);
        Console.WriteLine(Invariant($"stored (after repack): pack {stats.PackBytes:N0} + index {stats.IndexBytes:N0} + loose {stats.LooseBytes:N0} = {stats.TotalBytes:N0} bytes ({stats.PackedTexts} texts, {stats.PackedChunks} chunks, {stats.PackedRawBytes:N0} bytes decompressed)"));
        Console.WriteLine($"postgres on disk (after VACUUM FULL; heap + TOAST + indexes, in 8 KiB pages): {await OnDiskAsync()}");

        var git = await GitAnchor.MeasureAsync(revisions);
        Console.WriteLine(Invariant($"{git.Version} (fast-import, one file per chapter, one commit per seq): git gc pack {git.Plain:N0} bytes; git gc --aggressive pack {git.Aggressive:N0} bytes"));
        Console.WriteLine(Invariant($"content store / git gc --aggressive: {(double)stats.TotalBytes / git.Aggressive:P1}"));

        var packed = NewStore();
        Console.WriteLine($"read, packed, a new store (cold cache): {await ReadRandomAsync(() => packed, options.Messages)}");
        Console.WriteLine($"read, packed, the same store again (warm cache): {await ReadRandomAsync(() => packed, options.Messages)}");
        Console.WriteLine($"read, packed, a new store for every read (fetch + decompress the pack each time): {await ReadRandomAsync(NewStore, Math.Min(options.Messages, 1_000))}");
    }

    private ContentStore NewStore() => new(db, Microsoft.Extensions.Options.Options.Create(new ContentStoreOptions()));

    private async Task<Guid> NewProjectAsync()
    {
        var id = Guid.NewGuid();
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO repositories (project_id, owner_id, default_branch) VALUES (@id, @id, 'main')", new { id });
        return id;
    }

    private async Task<LatencyStats> ReplayAsync(ContentStore store)
    {
        var latencies = new List<double>();
        foreach (var commit in revisions.Select((revision, index) => (revision, index)).GroupBy(entry => entry.revision.Seq).OrderBy(group => group.Key))
        {
            var started = Stopwatch.GetTimestamp();
            await using var connection = await db.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var (revision, index) in commit)
            {
                ids[index] = await store.WriteAsync(transaction, projectId, revision.Markdown, CancellationToken.None);
            }

            await transaction.CommitAsync();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return LatencyStats.FromMilliseconds(latencies);
    }

    /// <summary>Random revisions of random chapters, <c>--connections</c> readers at a time; each text checked against the corpus.</summary>
    private async Task<string> ReadRandomAsync(Func<ContentStore> storeForRead, int count)
    {
        var random = new Random(42);
        var byChapter = revisions.Select((revision, index) => (revision, index)).GroupBy(entry => entry.revision.Chapter).Select(group => group.ToArray()).ToArray();
        var picks = Enumerable.Range(0, count).Select(_ => byChapter[random.Next(byChapter.Length)]).Select(chapter => chapter[random.Next(chapter.Length)]).ToArray();
        var latencies = new double[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                var (revision, index) = picks[i];
                var store = storeForRead();
                var started = Stopwatch.GetTimestamp();
                var text = await store.ReadAsync(projectId, ids[index], CancellationToken.None);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (text != revision.Markdown)
                {
                    throw new InvalidOperationException($"Chapter {revision.Chapter} at seq {revision.Seq} read back different.");
                }
            }
        })));
        return Invariant($"{LatencyStats.FromMilliseconds(latencies)}, {options.Connections} concurrent");
    }

    /// <summary>Opens the pool's connections and runs every path once, so the figures measure storage, not start-up.</summary>
    private async Task WarmUpAsync()
    {
        projectId = await NewProjectAsync();
        var store = NewStore();
        foreach (var (text, index) in revisions.Take(20).Select((revision, index) => (revision.Markdown, index)))
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            ids[index] = await store.WriteAsync(transaction, projectId, text, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await ReadEachAsync();
        await store.RepackAsync(projectId, CancellationToken.None);
        await ReadEachAsync();
        await using var cleanup = await db.OpenConnectionAsync();
        await cleanup.ExecuteAsync("DELETE FROM repositories WHERE project_id = @projectId", new { projectId });
    }

    private Task<string[]> ReadEachAsync() => Task.WhenAll(Enumerable.Range(0, options.Connections)
        .Select(reader => Task.Run(() => NewStore().ReadAsync(projectId, ids[reader % 20], CancellationToken.None))));

    private async Task<string> OnDiskAsync()
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("VACUUM FULL content_objects");
        await connection.ExecuteAsync("VACUUM FULL content_packs");
        var sizes = await connection.QuerySingleAsync<(long Packs, long Objects)>(
            "SELECT pg_total_relation_size('content_packs'), pg_total_relation_size('content_objects')");
        return Invariant($"content_packs {sizes.Packs:N0} bytes, content_objects (now empty) {sizes.Objects:N0} bytes");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
