using Dapper;
using Folio.ServiceDefaults.Hosting;
using Folio.Versioning.Core.Storage;
using Npgsql;

namespace Folio.Versioning.Api.Features.Content;

/// <summary>
/// Repacking and garbage collection. Both rewrite packs in one transaction under the project's maintenance lock:
/// new packs are written and verified (every text they hold is assembled and checked against its id) before the
/// packs and rows they replace are deleted, so a reader sees either the old objects or the new, never neither.
/// </summary>
internal sealed class ContentMaintenance(NpgsqlDataSource db, PackCache cache, ContentStoreOptions options)
{
    public async Task<RepackResult> RepackAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ContentLocks.Maintenance, new { projectId }, transaction, cancellationToken: cancellationToken));
        var stored = await StoredContent.LoadAsync(transaction, cache, projectId, cancellationToken);

        var open = stored.Packs.Where(pack => !PackPlanner.IsSealed(pack.RawSize, options.SealedPackBytes)).ToArray();
        if (stored.Loose.Count == 0 && open.Length <= 1)
        {
            return new RepackResult(0, 0, 0, stored.Bytes, stored.Bytes);
        }

        var staying = new List<(StoredPack Stored, Pack Pack)>();
        foreach (var pack in stored.Packs.Except(open))
        {
            staying.Add((pack, await stored.OpenAsync(pack, cancellationToken)));
        }

        var contents = new PackContentsBuilder(staying.Select(pack => pack.Pack).ToArray());
        foreach (var pack in open)
        {
            AddAll(contents, (await stored.OpenAsync(pack, cancellationToken)).Contents());
        }

        foreach (var loose in stored.Loose)
        {
            AddLoose(contents, loose);
        }

        // Compressing at Brotli's best quality takes over a second per megabyte, so it yields the cores to requests. Taking
        // longer holds up no writer: writers never wait for the maintenance lock.
        var written = await LowPriorityWork.RunAsync(() => Build(contents.Build(), staying));
        await ReplaceAsync(transaction, projectId, written, open, stored.Loose, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Publish(projectId, staying, open, written);
        return new RepackResult(stored.Loose.Count, open.Length, written.Length, stored.Bytes, staying.Sum(pack => pack.Stored.Bytes) + written.Sum(pack => pack.Bytes));
    }

    public async Task<GcResult> CollectGarbageAsync(Guid projectId, IReadOnlySet<string> reachableContentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reachableContentIds);
        var roots = reachableContentIds.Select(id => ContentId.TryParse(id, out var parsed)
            ? parsed
            : throw new ArgumentException($"'{id}' is not a content id: refusing to collect with an incomplete set of roots.", nameof(reachableContentIds))).ToHashSet();

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(ContentLocks.Maintenance, new { projectId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(ContentLocks.ExclusiveWrite, new { projectId }, transaction, cancellationToken: cancellationToken));
        var freshSince = await connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(
            "SELECT now() - @grace", new { grace = options.GcGracePeriod }, transaction, cancellationToken: cancellationToken));
        var stored = await StoredContent.LoadAsync(transaction, cache, projectId, cancellationToken);

        var inventory = await Inventory.TakeAsync(stored, freshSince, cancellationToken);
        var liveTexts = inventory.Texts.Where(text => inventory.Fresh[text.Id] || roots.Contains(text.Id)).ToArray();
        var liveChunks = liveTexts.SelectMany(text => text.Chunks).ToHashSet();
        var deadTexts = inventory.Texts.Count - liveTexts.Length;
        var dead = inventory.Texts.Select(text => text.Id).Except(liveTexts.Select(text => text.Id))
            .Concat(inventory.Chunks.Select(chunk => chunk.Id).Where(id => !liveChunks.Contains(id)))
            .ToHashSet();
        if (dead.Count == 0)
        {
            return new GcResult(0, 0, stored.Bytes, stored.Bytes);
        }

        if (!dead.Overlaps(inventory.Packed))
        {
            // Only loose objects died: delete their rows and leave the packs as they are.
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM content_objects WHERE project_id = @projectId AND id = ANY(@ids)",
                new { projectId, ids = dead.Select(id => id.ToBytes()).ToArray() }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            cache.ForgetTexts();
            return new GcResult(deadTexts, dead.Count - deadTexts, stored.Bytes,
                stored.Bytes - stored.Loose.Where(loose => dead.Contains(loose.Id)).Sum(loose => (long)ContentId.Size + loose.Data.Length));
        }

        var contents = new PackContentsBuilder([]);
        foreach (var chunk in inventory.Chunks.Where(chunk => liveChunks.Contains(chunk.Id)))
        {
            contents.Add(chunk);
        }

        foreach (var text in liveTexts)
        {
            contents.Add(text);
        }

        // At normal priority: writers wait for the exclusive lock held here.
        var written = Build(contents.Build(), []);
        await ReplaceAsync(transaction, projectId, written, stored.Packs, stored.Loose, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.ForgetTexts();
        Publish(projectId, [], stored.Packs, written);
        return new GcResult(deadTexts, dead.Count - deadTexts, stored.Bytes, written.Sum(pack => pack.Bytes));
    }

    private static void AddAll(PackContentsBuilder builder, PackContents contents)
    {
        foreach (var chunk in contents.Chunks)
        {
            builder.Add(chunk);
        }

        foreach (var text in contents.Texts)
        {
            builder.Add(text);
        }
    }

    private static void AddLoose(PackContentsBuilder builder, LooseObject loose)
    {
        if (loose.IsText)
        {
            builder.Add(loose.Text);
        }
        else
        {
            builder.Add(loose.Chunk);
        }
    }

    /// <summary>Compresses the new packs and checks every text in them.</summary>
    private WrittenPack[] Build(PackContents contents, IReadOnlyList<(StoredPack Stored, Pack Pack)> staying)
    {
        var written = PackPlanner.Plan(contents, options.SealedPackBytes)
            .Where(planned => planned.Chunks.Count > 0 || planned.Texts.Count > 0)
            .Select(planned => WrittenPack.From(PackWriter.Write(planned)))
            .ToArray();
        Verify(written.Select(pack => pack.Pack).Concat(staying.Select(pack => pack.Pack)).ToArray(), written);
        return written;
    }

    /// <summary>Stores the new packs and deletes the packs and loose rows they replace.</summary>
    private static async Task ReplaceAsync(
        NpgsqlTransaction transaction,
        Guid projectId,
        IReadOnlyList<WrittenPack> written,
        IReadOnlyList<StoredPack> replaced,
        IReadOnlyList<LooseObject> loose,
        CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        foreach (var pack in written)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO content_packs (project_id, id, data, object_index, raw_size, chunk_count, text_count)
                VALUES (@projectId, @Id, @Data, @Index, @RawSize, @ChunkCount, @TextCount)
                """,
                new { projectId, pack.Id, pack.Built.Data, pack.Built.Index, pack.Built.RawSize, pack.Built.ChunkCount, pack.Built.TextCount },
                transaction, cancellationToken: cancellationToken));
        }

        // A loose row a writer holds locked (it is refreshing a text) stays: it is a duplicate the next repack drops,
        // and waiting for that writer while it may wait for rows deleted here could deadlock. The rows are deleted by
        // the tuple ids the lock returns: a join back on (project_id, id) is planned from statistics that have not yet
        // seen a new book's rows, and its nested loop took 0.7 s for a thousand of them.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM content_packs WHERE project_id = @projectId AND id = ANY(@packs);
            DELETE FROM content_objects WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM content_objects WHERE project_id = @projectId AND id = ANY(@loose) FOR UPDATE SKIP LOCKED));
            """,
            new { projectId, packs = replaced.Select(pack => pack.Id).ToArray(), loose = loose.Select(entry => entry.Id.ToBytes()).ToArray() },
            transaction, cancellationToken: cancellationToken));
    }

    private static void Verify(IReadOnlyList<Pack> packs, IReadOnlyList<WrittenPack> written)
    {
        foreach (var pack in written.Select(entry => entry.Pack))
        {
            foreach (var text in pack.TextIds)
            {
                var external = new Dictionary<ContentId, ReadOnlyMemory<byte>>();
                foreach (var chunk in pack.ExternalChunksOf(text).Distinct())
                {
                    ReadOnlyMemory<byte> bytes = default;
                    external[chunk] = packs.Any(candidate => candidate.TryGetChunk(chunk, out bytes))
                        ? bytes
                        : throw new InvalidDataException($"A new pack refers to chunk {chunk}, which no pack holds.");
                }

                pack.ReadText(text, external);
            }
        }
    }

    private void Publish(Guid projectId, IReadOnlyList<(StoredPack Stored, Pack Pack)> staying, IReadOnlyList<StoredPack> replaced, IReadOnlyList<WrittenPack> written)
    {
        foreach (var pack in replaced)
        {
            cache.Forget(pack.Id);
        }

        foreach (var pack in written)
        {
            cache.SetIndex(pack.Id, pack.Index);
            cache.SetPack(pack.Id, pack.Pack);
        }

        cache.SetDirectory(projectId, staying.Select(pack => pack.Stored.Id).Concat(written.Select(pack => pack.Id)).ToArray());
    }

    /// <summary>Every chunk and text once, oldest first, whether packed or loose, and which texts are fresh.</summary>
    private sealed record Inventory(List<PackChunk> Chunks, List<PackText> Texts, Dictionary<ContentId, bool> Fresh, HashSet<ContentId> Packed)
    {
        public static async Task<Inventory> TakeAsync(StoredContent stored, DateTime freshSince, CancellationToken cancellationToken)
        {
            var inventory = new Inventory([], [], [], []);
            var chunkIds = new HashSet<ContentId>();
            foreach (var pack in stored.Packs)
            {
                var contents = (await stored.OpenAsync(pack, cancellationToken)).Contents();
                inventory.Chunks.AddRange(contents.Chunks.Where(chunk => chunkIds.Add(chunk.Id)));
                inventory.Texts.AddRange(contents.Texts.Where(text => inventory.Fresh.TryAdd(text.Id, pack.CreatedAt >= freshSince)));
                inventory.Packed.UnionWith(contents.Chunks.Select(chunk => chunk.Id).Concat(contents.Texts.Select(text => text.Id)));
            }

            foreach (var loose in stored.Loose)
            {
                if (loose.IsText && inventory.Fresh.TryAdd(loose.Id, loose.WrittenAt >= freshSince))
                {
                    inventory.Texts.Add(loose.Text);
                }
                else if (loose.IsText)
                {
                    inventory.Fresh[loose.Id] |= loose.WrittenAt >= freshSince;
                }
                else if (chunkIds.Add(loose.Id))
                {
                    inventory.Chunks.Add(loose.Chunk);
                }
            }

            return inventory;
        }
    }

    private sealed record WrittenPack(Guid Id, BuiltPack Built, PackIndex Index, Pack Pack)
    {
        public long Bytes => Built.Data.Length + Built.Index.Length;

        public static WrittenPack From(BuiltPack built)
        {
            var index = PackIndex.Decode(built.Index);
            return new WrittenPack(Guid.CreateVersion7(), built, index, Pack.Open(built.Data, index));
        }
    }
}
