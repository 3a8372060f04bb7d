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
internal static class StorageBenchmark
{
    private const int Readers = 16;

    public static async Task<int> RunAsync(string connectionString, Options options)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString) { Database = $"folio_storage_{Guid.NewGuid():N}"[..28] };
        try
        {
            return await RunAsync(database.ConnectionString, options.Messages);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS \"{database.Database}\" WITH (FORCE)");
        }
    }

    private static async Task<int> RunAsync(string connectionString, int reads)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "Folio.Benchmarks", EnvironmentName = Environments.Production });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Versioning"] = connectionString,
            ["Database:CreateIfMissing"] = "true",
        });
        builder.AddFolioDatabase("Versioning", typeof(Folio.Versioning.Api.Extensions).Assembly);
        using var host = builder.Build();
        await host.StartAsync();
        var db = host.Services.GetRequiredService<NpgsqlDataSource>();
        ContentStore NewStore() => new(db, Microsoft.Extensions.Options.Options.Create(new ContentStoreOptions()));

        var revisions = Corpus.Load();
        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine(Invariant($"corpus: {revisions.Count} revisions of {revisions.Select(r => r.Chapter).Distinct().Count()} chapters in {revisions.Select(r => r.Seq).Distinct().Count()} commits, {revisions.Sum(r => (long)System.Text.Encoding.UTF8.GetByteCount(r.Markdown)):N0} bytes of Markdown"));

        var projectId = Guid.NewGuid();
        await using (var connection = await db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO repositories (project_id, owner_id, default_branch) VALUES (@projectId, @projectId, 'main')", new { projectId });
        }

        var store = NewStore();
        var (ids, writes, writeTime) = await ReplayAsync(db, store, projectId, revisions);
        Console.WriteLine(Invariant($"write: {revisions.Count} texts ({ids.Distinct().Count()} distinct), one transaction per commit, {writeTime.TotalSeconds:F1} s; per commit {writes}"));
        var loose = await store.GetStatsAsync(projectId, CancellationToken.None);
        Console.WriteLine(Invariant($"loose (before repack): {loose.LooseTexts} texts + {loose.LooseChunks} chunks = {loose.LooseBytes:N0} bytes (ids + compressed chunks + manifests)"));
        var beforeRepack = NewStore();
        Console.WriteLine($"read, loose objects (before repack): {await ReadRandomAsync(() => beforeRepack, projectId, revisions, ids, reads)}");

        var stopwatch = Stopwatch.StartNew();
        var repack = await store.RepackAsync(projectId, CancellationToken.None);
        Console.WriteLine(Invariant($"repack: {repack.LooseObjectsPacked} loose objects into {repack.PacksWritten} pack in {stopwatch.Elapsed.TotalSeconds:F1} s"));
        var stats = await store.GetStatsAsync(projectId, CancellationToken.None);
        Console.WriteLine(Invariant($"stored (after repack): pack {stats.PackBytes:N0} + index {stats.IndexBytes:N0} + loose {stats.LooseBytes:N0} = {stats.TotalBytes:N0} bytes ({stats.PackedTexts} texts, {stats.PackedChunks} chunks, {stats.PackedRawBytes:N0} bytes decompressed)"));
        Console.WriteLine($"postgres on disk (after VACUUM FULL, heap + TOAST + indexes): {await OnDiskAsync(db)}");

        var git = await GitAnchor.MeasureAsync(revisions);
        Console.WriteLine(Invariant($"{git.Version} (fast-import, one file per chapter, one commit per seq): git gc pack {git.Plain:N0} bytes; git gc --aggressive pack {git.Aggressive:N0} bytes"));
        Console.WriteLine(Invariant($"content store / git gc --aggressive: {(double)stats.TotalBytes / git.Aggressive:P1}"));

        var cold = NewStore();
        Console.WriteLine($"read, packed, new store (cold cache): {await ReadRandomAsync(() => cold, projectId, revisions, ids, reads)}");
        Console.WriteLine($"read, packed, same store (warm cache): {await ReadRandomAsync(() => cold, projectId, revisions, ids, reads)}");
        Console.WriteLine($"read, packed, a new store for every read (database + decompress each time): {await ReadRandomAsync(NewStore, projectId, revisions, ids, Math.Min(reads, 1_000))}");
        await host.StopAsync();
        return 0;
    }

    private static async Task<(string[] Ids, LatencyStats PerCommit, TimeSpan Total)> ReplayAsync(
        NpgsqlDataSource db, ContentStore store, Guid projectId, IReadOnlyList<CorpusRevision> revisions)
    {
        var ids = new string[revisions.Count];
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
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

        return (ids, LatencyStats.FromMilliseconds(latencies), total.Elapsed);
    }

    /// <summary>Random revisions of random chapters, <see cref="Readers"/> at a time; each text checked against the corpus.</summary>
    private static async Task<LatencyStats> ReadRandomAsync(
        Func<ContentStore> storeForRead, Guid projectId, IReadOnlyList<CorpusRevision> revisions, string[] ids, int count)
    {
        var random = new Random(42);
        var byChapter = revisions.Select((revision, index) => (revision, index)).GroupBy(entry => entry.revision.Chapter).Select(group => group.ToArray()).ToArray();
        var picks = Enumerable.Range(0, count).Select(_ => byChapter[random.Next(byChapter.Length)]).Select(chapter => chapter[random.Next(chapter.Length)]).ToArray();
        var latencies = new double[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Readers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                var (revision, index) = picks[i];
                var reader = storeForRead();
                var started = Stopwatch.GetTimestamp();
                var text = await reader.ReadAsync(projectId, ids[index], CancellationToken.None);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (text != revision.Markdown)
                {
                    throw new InvalidOperationException($"Chapter {revision.Chapter} at seq {revision.Seq} read back different.");
                }
            }
        })));
        return LatencyStats.FromMilliseconds(latencies);
    }

    private static async Task<string> OnDiskAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("VACUUM FULL content_objects; VACUUM FULL content_packs");
        var sizes = await connection.QuerySingleAsync<(long Packs, long Objects)>(
            "SELECT pg_total_relation_size('content_packs'), pg_total_relation_size('content_objects')");
        return Invariant($"content_packs {sizes.Packs:N0} bytes, content_objects {sizes.Objects:N0} bytes (empty tables and their indexes take 8 KiB pages)");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
