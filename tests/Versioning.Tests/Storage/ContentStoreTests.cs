using Dapper;
using Folio.Tests.Infrastructure;

namespace Folio.Versioning.Tests.Storage;

public sealed class ContentStoreTests(ContentDatabase database) : IClassFixture<ContentDatabase>
{
    [Fact]
    public async Task Concurrent_writers_of_the_same_text_all_succeed_and_it_is_stored_once()
    {
        var projectId = await database.NewProjectAsync();
        var text = string.Join("\n\n", Enumerable.Range(0, 30).Select(i => $"Paragraph {i} of a text everyone writes at once."));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = Enumerable.Range(0, 16).Select(async writer =>
        {
            var store = database.NewStore();
            await start.Task;
            // Half of them also write a text sharing all but one paragraph, in the same transaction.
            return await database.WriteAllAsync(store, projectId, writer % 2 == 0 ? [text] : [text, text + "\n\nA private ending."]);
        }).ToArray();
        start.SetResult();
        var ids = await Task.WhenAll(writers);

        ids.Select(written => written[0]).Distinct().Should().ContainSingle();
        var stats = await database.NewStore().GetStatsAsync(projectId, CancellationToken.None);
        stats.LooseTexts.Should().Be(2);
        stats.LooseChunks.Should().Be(32, "30 paragraphs, the last one again with the separator it gains, and the private ending");
        (await database.NewStore().ReadAsync(projectId, ids[0][0], CancellationToken.None)).Should().Be(text);
    }

    [Fact]
    public async Task Reads_never_fail_while_repacks_and_writes_run()
    {
        var projectId = await database.NewProjectAsync();
        var revisions = Corpus.Load().Where(revision => revision.Chapter <= 12).ToArray();
        var firstHalf = revisions.Take(revisions.Length / 2).ToArray();
        var writer = database.NewStore();
        var ids = (await database.WriteAllAsync(writer, projectId, firstHalf.Select(revision => revision.Markdown)))
            .Zip(firstHalf, (id, revision) => (Id: id, revision.Markdown)).ToArray();
        using var stop = new CancellationTokenSource();

        // Warm readers keep old packs cached; cold ones start from the database every time.
        var readers = Enumerable.Range(0, 6).Select(reader => Task.Run(async () =>
        {
            var store = database.NewStore();
            var random = new Random(reader);
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var (id, markdown) = ids[random.Next(ids.Length)];
                var from = reader % 2 == 0 ? store : database.NewStore();
                (await from.ReadAsync(projectId, id, CancellationToken.None)).Should().Be(markdown);
                reads++;
            }

            return reads;
        })).ToArray();

        foreach (var batch in revisions.Skip(firstHalf.Length).Chunk(20))
        {
            var repack = writer.RepackAsync(projectId, CancellationToken.None);
            var written = await database.WriteAllAsync(database.NewStore(), projectId, batch.Select(revision => revision.Markdown));
            await repack;
            written.Zip(batch).Should().OnlyContain(pair => pair.First.Length == 64);
        }

        await writer.RepackAsync(projectId, CancellationToken.None);
        await Task.Delay(200);
        await stop.CancelAsync();
        (await Task.WhenAll(readers)).Should().OnlyContain(reads => reads > 0);

        var fresh = database.NewStore();
        foreach (var revision in revisions)
        {
            var id = await database.WriteAsync(fresh, projectId, revision.Markdown);
            (await database.NewStore().ReadAsync(projectId, id, CancellationToken.None)).Should().Be(revision.Markdown);
        }
    }

    [Fact]
    public async Task Collection_spares_texts_written_within_the_grace_period()
    {
        var projectId = await database.NewProjectAsync();
        var store = database.NewStore(gcGracePeriod: TimeSpan.FromMinutes(5));
        var kept = await database.WriteAsync(store, projectId, "Reachable.\n\nShared paragraph.\n");
        var recent = await database.WriteAsync(store, projectId, "Just written, not yet in any commit.\n\nShared paragraph.\n");

        var gc = await store.CollectGarbageAsync(projectId, new HashSet<string> { kept }, CancellationToken.None);

        gc.TextsRemoved.Should().Be(0);
        (await store.ReadAsync(projectId, recent, CancellationToken.None)).Should().StartWith("Just written");
        var strict = await database.NewStore().CollectGarbageAsync(projectId, new HashSet<string> { kept }, CancellationToken.None);
        strict.TextsRemoved.Should().Be(1);
        strict.ChunksRemoved.Should().Be(1, "the shared paragraph is still used by the reachable text");
        (await database.NewStore().ReadAsync(projectId, kept, CancellationToken.None)).Should().Be("Reachable.\n\nShared paragraph.\n");
    }

    [Fact]
    public async Task Collecting_with_nothing_reachable_removes_everything_packed_and_loose()
    {
        var projectId = await database.NewProjectAsync();
        var store = database.NewStore();
        var packed = await database.WriteAsync(store, projectId, "Packed.\n\nShared.\n");
        await store.RepackAsync(projectId, CancellationToken.None);
        (await store.ReadAsync(projectId, packed, CancellationToken.None)).Should().StartWith("Packed.");
        var loose = await database.WriteAsync(store, projectId, "Loose.\n\nShared.\n");
        (await store.ReadAsync(projectId, loose, CancellationToken.None)).Should().StartWith("Loose.");

        var gc = await store.CollectGarbageAsync(projectId, new HashSet<string>(), CancellationToken.None);

        gc.TextsRemoved.Should().Be(2);
        gc.ChunksRemoved.Should().Be(3);
        gc.BytesAfter.Should().Be(0);
        (await store.GetStatsAsync(projectId, CancellationToken.None)).TotalBytes.Should().Be(0);
        await store.Invoking(s => s.ReadAsync(projectId, packed, CancellationToken.None)).Should().ThrowAsync<KeyNotFoundException>();
        await store.Invoking(s => s.ReadAsync(projectId, loose, CancellationToken.None)).Should().ThrowAsync<KeyNotFoundException>();
    }

    [Fact]
    public async Task A_repack_takes_every_loose_row_but_one_a_writer_holds_locked_which_the_next_repack_takes()
    {
        var projectId = await database.NewProjectAsync();
        var store = database.NewStore();
        var texts = new List<string>();
        for (var number = 1; number <= 40; number++)
        {
            texts.Add(await database.WriteAsync(store, projectId, $"Chapter {number} begins.\n\nShared middle.\n\nChapter {number} ends.\n"));
        }

        await using var writer = await database.DataSource.OpenConnectionAsync();
        await using var refreshing = await writer.BeginTransactionAsync();
        var held = await writer.QuerySingleAsync<byte[]>(
            "SELECT id FROM content_objects WHERE project_id = @projectId AND kind = 'text' ORDER BY seq LIMIT 1 FOR UPDATE", new { projectId }, refreshing);

        var repack = await store.RepackAsync(projectId, CancellationToken.None);

        repack.LooseObjectsPacked.Should().Be(121, "40 texts, their 80 own paragraphs and the shared one");
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            (await connection.QueryAsync<byte[]>("SELECT id FROM content_objects WHERE project_id = @projectId", new { projectId }))
                .Should().ContainSingle().Which.Should().Equal(held);
        }

        await refreshing.RollbackAsync();
        (await store.RepackAsync(projectId, CancellationToken.None)).LooseObjectsPacked.Should().Be(1);
        var stats = await store.GetStatsAsync(projectId, CancellationToken.None);
        (stats.LooseTexts + stats.LooseChunks).Should().Be(0);
        (await database.NewStore().ReadManyAsync(projectId, texts, CancellationToken.None)).Values
            .Should().Equal(Enumerable.Range(1, 40).Select(number => $"Chapter {number} begins.\n\nShared middle.\n\nChapter {number} ends.\n"));
    }

    [Fact]
    public async Task Collection_refuses_a_malformed_root()
    {
        var projectId = await database.NewProjectAsync();

        await database.NewStore().Invoking(store => store.CollectGarbageAsync(projectId, new HashSet<string> { "not-an-id" }, CancellationToken.None))
            .Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Content_belongs_to_its_project_and_goes_with_it()
    {
        var first = await database.NewProjectAsync();
        var second = await database.NewProjectAsync();
        var store = database.NewStore();
        var id = await database.WriteAsync(store, first, "Private to the first book.\n");
        await store.RepackAsync(first, CancellationToken.None);
        await database.WriteAsync(store, first, "Still loose.\n");

        await store.Invoking(s => s.ReadAsync(second, id, CancellationToken.None)).Should().ThrowAsync<KeyNotFoundException>();

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("DELETE FROM repositories WHERE project_id = @first", new { first });
        var left = await connection.ExecuteScalarAsync<int>(
            "SELECT (SELECT count(*) FROM content_objects WHERE project_id = @first) + (SELECT count(*) FROM content_packs WHERE project_id = @first)",
            new { first });
        left.Should().Be(0);
    }

    [Fact]
    public async Task Reading_an_unknown_or_malformed_id_is_not_found()
    {
        var projectId = await database.NewProjectAsync();
        var store = database.NewStore();
        var id = await database.WriteAsync(store, projectId, "Exists.");

        await store.Invoking(s => s.ReadAsync(projectId, new string('0', 64), CancellationToken.None)).Should().ThrowAsync<KeyNotFoundException>();
        await store.Invoking(s => s.ReadAsync(projectId, "nonsense", CancellationToken.None)).Should().ThrowAsync<KeyNotFoundException>();
        await store.Invoking(s => s.ReadManyAsync(projectId, [id, new string('1', 64)], CancellationToken.None)).Should().ThrowAsync<KeyNotFoundException>();
        (await store.ReadManyAsync(projectId, [id, id.ToUpperInvariant()], CancellationToken.None)).Should().HaveCount(2);
        (await store.ReadAsync(projectId, await database.WriteAsync(store, projectId, ""), CancellationToken.None)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_corrupted_pack_fails_the_read_instead_of_returning_wrong_text()
    {
        var projectId = await database.NewProjectAsync();
        var store = database.NewStore();
        var id = await database.WriteAsync(store, projectId, string.Join("\n\n", Enumerable.Range(0, 50).Select(i => $"Paragraph number {i}.")));
        await store.RepackAsync(projectId, CancellationToken.None);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE content_packs SET data = overlay(data PLACING '\\x00ff'::bytea FROM octet_length(data) / 2 FOR 2) WHERE project_id = @projectId",
            new { projectId });

        await database.NewStore().Invoking(s => s.ReadAsync(projectId, id, CancellationToken.None)).Should().ThrowAsync<InvalidDataException>();
    }
}
