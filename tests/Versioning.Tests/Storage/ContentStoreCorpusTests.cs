using Folio.Tests.Infrastructure;
using Folio.Versioning.Api.Features.Content;

namespace Folio.Versioning.Tests.Storage;

/// <summary>The whole editing history of Pride and Prejudice through the content store on the real PostgreSQL.</summary>
public sealed class ContentStoreCorpusTests(ContentDatabase database) : IClassFixture<ContentDatabase>
{
    private static readonly IReadOnlyList<CorpusRevision> Revisions = Corpus.Load();

    [Fact]
    public async Task Every_revision_reads_back_byte_identical_before_and_after_repack_and_collection()
    {
        var projectId = await database.NewProjectAsync();
        var store = database.NewStore();
        var ids = await ReplayAsync(store, projectId);

        await ShouldReadBackAsync(store, projectId, ids);
        var loose = await store.GetStatsAsync(projectId, CancellationToken.None);
        loose.Packs.Should().Be(0);
        loose.LooseTexts.Should().Be(ids.Values.Distinct().Count());

        var repack = await store.RepackAsync(projectId, CancellationToken.None);
        repack.LooseObjectsPacked.Should().Be(loose.LooseTexts + loose.LooseChunks);
        await ShouldReadBackAsync(store, projectId, ids);
        await ShouldReadBackAsync(database.NewStore(), projectId, ids);

        var stats = await store.GetStatsAsync(projectId, CancellationToken.None);
        stats.LooseBytes.Should().Be(0);
        stats.Packs.Should().Be(1);
        stats.PackedTexts.Should().Be(loose.LooseTexts);
        stats.PackedChunks.Should().Be(loose.LooseChunks);
        stats.TotalBytes.Should().BeLessThanOrEqualTo(357_205, "git gc --aggressive stores the same history in 357,205 bytes");

        var gc = await store.CollectGarbageAsync(projectId, ids.Values.ToHashSet(), CancellationToken.None);
        gc.TextsRemoved.Should().Be(0);
        gc.ChunksRemoved.Should().Be(0);
        await ShouldReadBackAsync(database.NewStore(), projectId, ids);
        (await store.GetStatsAsync(projectId, CancellationToken.None)).Should().Be(stats);
    }

    [Fact]
    public async Task Storage_grows_with_what_changed_not_with_the_size_of_the_book()
    {
        var projectId = await database.NewProjectAsync();
        var store = database.NewStore();
        await ReplayAsync(store, projectId);
        await store.RepackAsync(projectId, CancellationToken.None);
        var packed = await store.GetStatsAsync(projectId, CancellationToken.None);
        var chapter = Revisions.Last(revision => revision.Markdown.Length > 10_000).Markdown;
        var endOfParagraph = chapter.IndexOf("\n\n", 2000, StringComparison.Ordinal);

        await database.WriteAsync(store, projectId, chapter.Insert(endOfParagraph, " One sentence more."));

        var loose = await store.GetStatsAsync(projectId, CancellationToken.None);
        loose.LooseChunks.Should().Be(1, "only the edited paragraph is new");
        loose.LooseTexts.Should().Be(1);
        await store.RepackAsync(projectId, CancellationToken.None);
        var repacked = await store.GetStatsAsync(projectId, CancellationToken.None);
        (repacked.TotalBytes - packed.TotalBytes).Should().BeLessThan(1_000, "a near-duplicate paragraph and a near-duplicate manifest cost little in a pack");
    }

    [Fact]
    public async Task Collecting_with_only_the_latest_revisions_reachable_removes_the_rest()
    {
        var projectId = await database.NewProjectAsync();
        var store = database.NewStore();
        var ids = await ReplayAsync(store, projectId);
        await store.RepackAsync(projectId, CancellationToken.None);
        var before = await store.GetStatsAsync(projectId, CancellationToken.None);
        var latest = Revisions.GroupBy(revision => revision.Chapter).Select(chapter => chapter.Last()).ToArray();
        var keep = latest.Select(revision => ids[revision]).ToHashSet();

        var gc = await store.CollectGarbageAsync(projectId, keep, CancellationToken.None);

        gc.TextsRemoved.Should().Be(ids.Values.Distinct().Count() - keep.Count);
        gc.ChunksRemoved.Should().BeGreaterThan(0);
        gc.BytesAfter.Should().BeLessThan(gc.BytesBefore);
        var after = await store.GetStatsAsync(projectId, CancellationToken.None);
        after.PackedTexts.Should().Be(keep.Count);
        after.TotalBytes.Should().BeLessThan(before.TotalBytes);
        foreach (var revision in latest)
        {
            (await database.NewStore().ReadAsync(projectId, ids[revision], CancellationToken.None)).Should().Be(revision.Markdown);
        }

        var removed = ids.Values.Except(keep).First();
        await store.Invoking(s => s.ReadAsync(projectId, removed, CancellationToken.None)).Should().ThrowAsync<KeyNotFoundException>();
        await database.NewStore().Invoking(s => s.ReadAsync(projectId, removed, CancellationToken.None)).Should().ThrowAsync<KeyNotFoundException>();
    }

    [Fact]
    public async Task Sealed_packs_stay_while_new_content_goes_to_an_open_pack_and_every_revision_still_reads()
    {
        var projectId = await database.NewProjectAsync();
        var store = database.NewStore(sealedPackBytes: 200_000);
        var ids = new Dictionary<CorpusRevision, string>();
        foreach (var commit in Revisions.GroupBy(revision => revision.Seq).Chunk(10))
        {
            var revisions = commit.SelectMany(group => group).ToArray();
            foreach (var (revision, id) in revisions.Zip(await database.WriteAllAsync(store, projectId, revisions.Select(revision => revision.Markdown))))
            {
                ids[revision] = id;
            }

            await store.RepackAsync(projectId, CancellationToken.None);
        }

        var stats = await store.GetStatsAsync(projectId, CancellationToken.None);
        stats.Packs.Should().BeGreaterThan(3);
        stats.LooseBytes.Should().Be(0);
        await ShouldReadBackAsync(database.NewStore(sealedPackBytes: 200_000), projectId, ids);

        var latest = Revisions.GroupBy(revision => revision.Chapter).Select(chapter => chapter.Last()).ToArray();
        await store.CollectGarbageAsync(projectId, latest.Select(revision => ids[revision]).ToHashSet(), CancellationToken.None);
        foreach (var revision in latest)
        {
            (await database.NewStore(sealedPackBytes: 200_000).ReadAsync(projectId, ids[revision], CancellationToken.None)).Should().Be(revision.Markdown);
        }
    }

    private async Task<Dictionary<CorpusRevision, string>> ReplayAsync(ContentStore store, Guid projectId)
    {
        var ids = new Dictionary<CorpusRevision, string>();
        foreach (var commit in Revisions.GroupBy(revision => revision.Seq).OrderBy(group => group.Key))
        {
            foreach (var (revision, id) in commit.Zip(await database.WriteAllAsync(store, projectId, commit.Select(revision => revision.Markdown))))
            {
                ids[revision] = id;
            }
        }

        return ids;
    }

    private static async Task ShouldReadBackAsync(ContentStore store, Guid projectId, IReadOnlyDictionary<CorpusRevision, string> ids)
    {
        foreach (var (revision, id) in ids)
        {
            (await store.ReadAsync(projectId, id, CancellationToken.None)).Should().Be(revision.Markdown, $"chapter {revision.Chapter} at seq {revision.Seq}");
        }

        var many = await store.ReadManyAsync(projectId, ids.Values.ToArray(), CancellationToken.None);
        ids.Should().OnlyContain(entry => many[entry.Value] == entry.Key.Markdown);
    }
}
