using System.Data;
using Dapper;
using Folio.Versioning.Core.Storage;
using Npgsql;

namespace Folio.Versioning.Api.Features.Content;

/// <summary>
/// Reads texts from memory when their pack (or, for a loose text, the text itself) is cached, without a database
/// round trip; otherwise from one repeatable-read snapshot, so a repack or garbage collection committing meanwhile can
/// never make a read see half of each state. Every text is checked against its id before it is first returned.
/// </summary>
internal sealed class ContentReader(NpgsqlDataSource db, PackCache cache)
{
    public async Task<IReadOnlyDictionary<ContentId, string>> ReadAsync(Guid projectId, IReadOnlyCollection<ContentId> ids, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<ContentId, string>(ids.Count);
        var cached = cache.PacksOf(projectId);
        foreach (var id in ids)
        {
            if (cache.TryGetText(projectId, id, out var text))
            {
                texts[id] = text;
            }
            else if (TryReadCached(cached, id) is { } assembled)
            {
                texts[id] = assembled;
                cache.SetText(projectId, id, assembled);
            }
        }

        if (texts.Count < ids.Count)
        {
            await ReadFromDatabaseAsync(projectId, ids.Where(id => !texts.ContainsKey(id)).ToArray(), texts, cancellationToken);
        }

        return texts;
    }

    public void Remember(Guid projectId, ContentId id, string text) => cache.SetText(projectId, id, text);

    private static string? TryReadCached(IReadOnlyList<Pack> packs, ContentId id)
    {
        var home = packs.FirstOrDefault(pack => pack.ContainsText(id));
        if (home is null)
        {
            return null;
        }

        var external = new Dictionary<ContentId, ReadOnlyMemory<byte>>();
        foreach (var chunk in home.ExternalChunksOf(id).Distinct())
        {
            ReadOnlyMemory<byte> bytes = default;
            if (!packs.Any(pack => pack.TryGetChunk(chunk, out bytes)))
            {
                return null;
            }

            external[chunk] = bytes;
        }

        return home.ReadText(id, external);
    }

    private async Task ReadFromDatabaseAsync(Guid projectId, IReadOnlyList<ContentId> ids, Dictionary<ContentId, string> texts, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var loose = (await connection.QueryAsync<(byte[] Id, byte[] Data)>(new CommandDefinition(
                "SELECT id, data FROM content_objects WHERE project_id = @projectId AND kind = 'text' AND id = ANY(@ids)",
                new { projectId, ids = ids.Select(id => id.ToBytes()).ToArray() }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(row => ContentId.Read(row.Id), row => TextManifest.Decode(row.Data));
        var snapshot = await PackSnapshot.ListAsync(transaction, cache, projectId, cancellationToken);

        var missing = new List<ContentId>();
        foreach (var id in ids.Where(id => !loose.ContainsKey(id)))
        {
            if (snapshot.FindText(id) is { } home)
            {
                texts[id] = await snapshot.ReadTextAsync(home, id) ?? throw new InvalidOperationException("A pack vanished inside a repeatable-read snapshot.");
                cache.SetText(projectId, id, texts[id]);
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count > 0)
        {
            throw new KeyNotFoundException($"No content {string.Join(", ", missing)} in project {projectId}.");
        }

        if (loose.Count > 0)
        {
            var chunks = await ChunksAsync(transaction, projectId, loose.Values.SelectMany(manifest => manifest.Chunks).ToHashSet(), snapshot, cancellationToken);
            foreach (var (id, manifest) in loose)
            {
                texts[id] = TextAssembler.Assemble(id, manifest.Chunks.Select(chunk => chunks[chunk]).ToArray());
                cache.SetText(projectId, id, texts[id]);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Loose chunks from their rows, the others from the packs.</summary>
    private static async Task<Dictionary<ContentId, ReadOnlyMemory<byte>>> ChunksAsync(
        NpgsqlTransaction transaction, Guid projectId, HashSet<ContentId> ids, PackSnapshot snapshot, CancellationToken cancellationToken)
    {
        var chunks = (await transaction.Connection!.QueryAsync<(byte[] Id, byte[] Data)>(new CommandDefinition(
                "SELECT id, data FROM content_objects WHERE project_id = @projectId AND kind = 'chunk' AND id = ANY(@ids)",
                new { projectId, ids = ids.Select(id => id.ToBytes()).ToArray() }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(row => ContentId.Read(row.Id), row => (ReadOnlyMemory<byte>)LooseChunk.Decompress(row.Data));
        ids.ExceptWith(chunks.Keys);
        if (ids.Count > 0)
        {
            var packed = await snapshot.FindChunksAsync(ids) ?? throw new InvalidOperationException("A pack vanished inside a repeatable-read snapshot.");
            if (packed.Count < ids.Count)
            {
                throw new InvalidDataException($"Project {projectId} has texts whose chunks are stored nowhere.");
            }

            foreach (var (id, bytes) in packed)
            {
                chunks[id] = bytes;
            }
        }

        return chunks;
    }
}
