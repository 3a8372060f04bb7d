using Dapper;
using Folio.Versioning.Core.Storage;
using Npgsql;

namespace Folio.Versioning.Api.Features.Content;

/// <summary>
/// Stores texts inside the caller's transaction: the chunks no row and no pack of the project holds yet (compressed,
/// as loose objects), then each text's manifest. Concurrent writers of the same content meet at the primary key
/// (ON CONFLICT), so both succeed and the content is stored once.
/// </summary>
internal sealed class ContentWriter(PackCache cache)
{
    private const int Attempts = 5;

    public async Task<ContentId> WriteAsync(NpgsqlTransaction transaction, Guid projectId, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var chunked = ChunkedText.From(text);
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        await AppendAsync(batch, projectId, [chunked], cancellationToken);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return chunked.Id;
    }

    /// <summary>
    /// Finds out in one round trip which chunks of <paramref name="texts"/> the project lacks, and adds their inserts and
    /// the texts' manifests to <paramref name="batch"/>, which must run in a transaction: the texts are stored when it runs.
    /// </summary>
    public async Task AppendAsync(NpgsqlBatch batch, Guid projectId, IReadOnlyCollection<ChunkedText> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var transaction = batch.Transaction ?? throw new ArgumentException("The batch must run in a transaction.", nameof(batch));
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has already completed.", nameof(batch));
        var distinct = texts.DistinctBy(text => text.Id).ToList();
        var chunks = distinct.SelectMany(text => text.DistinctChunks.Select(chunk => (Text: text, Chunk: chunk))).DistinctBy(owned => owned.Chunk.Id).ToList();
        // The lock, the chunks already stored and the pack list, in one round trip. Read on the caller's transaction, so
        // chunks it wrote a moment ago count. One index probe per id: the planner's estimate of a book's loose rows lags
        // behind a running job, and with "id = ANY(@ids)" it filtered them all (0.5 ms at a thousand rows); LIMIT keeps
        // the lateral probe from being flattened into such a join. The pack list comes after the loose rows, so an
        // object a concurrent repack moved is seen in its new pack.
        var known = cache.IndexesOf(projectId);
        HashSet<ContentId> loose;
        PackSnapshot packs;
        await using (var reads = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            {ContentLocks.SharedWrite};
            SELECT stored.id FROM unnest(@ids) AS wanted (id)
            CROSS JOIN LATERAL (SELECT id FROM content_objects WHERE project_id = @projectId AND id = wanted.id LIMIT 1) AS stored;
            {PackSnapshot.ListSql}
            """,
            new
            {
                projectId,
                ids = chunks.Select(owned => owned.Chunk.Id).Concat(distinct.Select(text => text.Id)).Select(id => id.ToBytes()).ToArray(),
                known = known.Keys.ToArray(),
            },
            transaction, cancellationToken: cancellationToken)))
        {
            await reads.ReadAsync();
            loose = (await reads.ReadAsync<byte[]>()).Select(id => ContentId.Read(id)).ToHashSet();
            packs = PackSnapshot.From(transaction, cache, projectId, known, await reads.ReadAsync<PackSnapshot.PackRow>());
        }

        var unstored = distinct.Where(text => !loose.Contains(text.Id)).ToList();
        var ofUnstored = ChunkIdsOf(unstored);
        var missing = chunks.Where(owned => !loose.Contains(owned.Chunk.Id) && ofUnstored.Contains(owned.Chunk.Id)).ToList();
        if (missing.Count > 0 && packs.Packs.Count > 0)
        {
            missing = await WithoutPackedAsync(packs, unstored, missing, cancellationToken);
        }

        // The texts also when they exist: writing one again makes it fresh, so garbage collection spares it for a while.
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO content_objects (project_id, id, kind, data)
            SELECT @ProjectId, chunk.id, 'chunk', chunk.data FROM unnest(@ChunkIds, @ChunkData) AS chunk (id, data)
            ON CONFLICT (project_id, id) DO NOTHING
            """)
        {
            Parameters =
            {
                new("ProjectId", projectId),
                new("ChunkIds", missing.Select(owned => owned.Chunk.Id.ToBytes()).ToArray()),
                new("ChunkData", missing.Select(owned => LooseChunk.Compress(owned.Text.Bytes(owned.Chunk))).ToArray()),
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            INSERT INTO content_objects (project_id, id, kind, data)
            SELECT @ProjectId, text.id, 'text', text.manifest FROM unnest(@TextIds, @Manifests) AS text (id, manifest)
            ON CONFLICT (project_id, id) DO UPDATE SET written_at = now()
            """)
        {
            Parameters =
            {
                new("ProjectId", projectId),
                new("TextIds", distinct.Select(text => text.Id.ToBytes()).ToArray()),
                new("Manifests", distinct.Select(text => text.Manifest.Encode()).ToArray()),
            },
        });
    }

    /// <summary>
    /// Drops the chunks the project's packs hold, and those of texts a pack holds whole. A repack may replace a pack
    /// while we look (it keeps every object), so a vanished pack means looking again at the new ones.
    /// </summary>
    private static async Task<List<(ChunkedText Text, TextChunk Chunk)>> WithoutPackedAsync(
        PackSnapshot packs, List<ChunkedText> unstored, List<(ChunkedText Text, TextChunk Chunk)> missing, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (attempt > 0)
            {
                packs = await packs.ListAgainAsync(cancellationToken);
            }

            var ofUnpacked = ChunkIdsOf(unstored.Where(text => packs.FindText(text.Id) is null));
            var needed = missing.Where(owned => ofUnpacked.Contains(owned.Chunk.Id)).ToList();
            if (needed.Count == 0 || packs.Packs.Count == 0)
            {
                return needed;
            }

            if (await packs.FindChunksAsync(needed.Select(owned => owned.Chunk.Id)) is { } packed)
            {
                return needed.Where(owned => !packed.ContainsKey(owned.Chunk.Id)).ToList();
            }
        }

        throw new InvalidOperationException($"The packs of project {packs.ProjectId} kept changing while storing texts.");
    }

    private static HashSet<ContentId> ChunkIdsOf(IEnumerable<ChunkedText> texts) => texts.SelectMany(text => text.Chunks.Select(chunk => chunk.Id)).ToHashSet();
}
