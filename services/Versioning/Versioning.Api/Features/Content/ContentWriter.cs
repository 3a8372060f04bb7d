using Dapper;
using Folio.Versioning.Core.Storage;
using Npgsql;

namespace Folio.Versioning.Api.Features.Content;

/// <summary>
/// Stores a text inside the caller's transaction: the chunks no row and no pack of the project holds yet (compressed,
/// as loose objects), then the text's manifest. Concurrent writers of the same content meet at the primary key
/// (ON CONFLICT), so both succeed and the content is stored once.
/// </summary>
internal sealed class ContentWriter(PackCache cache)
{
    private const int Attempts = 5;

    public async Task<ContentId> WriteAsync(NpgsqlTransaction transaction, Guid projectId, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var chunked = ChunkedText.From(text);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has already completed.", nameof(transaction));
        var chunks = chunked.DistinctChunks.ToList();
        // The lock, then the chunks already stored, in one round trip. Read on the caller's transaction, so chunks it
        // wrote a moment ago (another chapter of the same commit) count. One index probe per id: the planner's estimate of
        // a book's loose rows lags behind a running job, and with "id = ANY(@ids)" it filtered them all (0.5 ms at a thousand
        // rows); LIMIT keeps the lateral probe from being flattened into such a join.
        HashSet<ContentId> loose;
        await using (var reads = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            {ContentLocks.SharedWrite};
            SELECT stored.id FROM unnest(@ids) AS wanted (id)
            CROSS JOIN LATERAL (SELECT id FROM content_objects WHERE project_id = @projectId AND id = wanted.id LIMIT 1) AS stored
            """,
            new { projectId, ids = chunks.Select(chunk => chunk.Id).Append(chunked.Id).Select(id => id.ToBytes()).ToArray() },
            transaction, cancellationToken: cancellationToken)))
        {
            await reads.ReadAsync();
            loose = (await reads.ReadAsync<byte[]>()).Select(id => ContentId.Read(id)).ToHashSet();
        }

        var missing = loose.Contains(chunked.Id) ? [] : chunks.Where(chunk => !loose.Contains(chunk.Id)).ToList();
        if (missing.Count > 0)
        {
            missing = await WithoutPackedAsync(transaction, projectId, chunked.Id, missing, cancellationToken);
        }

        // The new chunks and the text in one round trip. The text also when it exists: writing it again makes it fresh,
        // so garbage collection spares it for a while.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO content_objects (project_id, id, kind, data)
            SELECT @projectId, chunk.id, 'chunk', chunk.data FROM unnest(@ids, @data) AS chunk (id, data)
            ON CONFLICT (project_id, id) DO NOTHING;
            INSERT INTO content_objects (project_id, id, kind, data) VALUES (@projectId, @id, 'text', @manifest)
            ON CONFLICT (project_id, id) DO UPDATE SET written_at = now()
            """,
            new
            {
                projectId,
                ids = missing.Select(chunk => chunk.Id.ToBytes()).ToArray(),
                data = missing.Select(chunk => LooseChunk.Compress(chunked.Bytes(chunk))).ToArray(),
                id = chunked.Id.ToBytes(),
                manifest = chunked.Manifest.Encode(),
            },
            transaction, cancellationToken: cancellationToken));
        return chunked.Id;
    }

    /// <summary>
    /// Drops the chunks the project's packs hold. A repack may replace a pack while we look (it keeps every object),
    /// so a vanished pack means looking again at the new ones.
    /// </summary>
    private async Task<List<TextChunk>> WithoutPackedAsync(
        NpgsqlTransaction transaction, Guid projectId, ContentId textId, List<TextChunk> chunks, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var snapshot = await PackSnapshot.ListAsync(transaction, cache, projectId, cancellationToken);
            if (snapshot.Packs.Count == 0 || snapshot.FindText(textId) is not null)
            {
                return snapshot.Packs.Count == 0 ? chunks : [];
            }

            if (await snapshot.FindChunksAsync(chunks.Select(chunk => chunk.Id)) is { } packed)
            {
                return chunks.Where(chunk => !packed.ContainsKey(chunk.Id)).ToList();
            }
        }

        throw new InvalidOperationException($"The packs of project {projectId} kept changing while storing a text.");
    }
}
