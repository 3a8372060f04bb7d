using Dapper;
using Folio.Versioning.Core.Storage;
using Npgsql;

namespace Folio.Versioning.Api.Features.Content;

internal sealed record StoredPack(Guid Id, DateTime CreatedAt, int RawSize, long Bytes, PackIndex Index);

internal sealed record LooseObject(ContentId Id, bool IsText, byte[] Data, DateTime WrittenAt)
{
    public PackChunk Chunk => new(Id, LooseChunk.Decompress(Data));

    public PackText Text => new(Id, TextManifest.Decode(Data).Chunks);
}

/// <summary>Everything a project stores, as a maintenance transaction (which holds the maintenance lock) sees it.</summary>
internal sealed class StoredContent
{
    private readonly NpgsqlTransaction transaction;
    private readonly PackCache cache;
    private readonly Guid projectId;

    private StoredContent(NpgsqlTransaction transaction, PackCache cache, Guid projectId, IReadOnlyList<StoredPack> packs, IReadOnlyList<LooseObject> loose)
    {
        this.transaction = transaction;
        this.cache = cache;
        this.projectId = projectId;
        Packs = packs;
        Loose = loose;
    }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<StoredPack> Packs { get; }

    /// <summary>In write order.</summary>
    public IReadOnlyList<LooseObject> Loose { get; }

    /// <summary>Loose rows (id and data), packs and their indexes.</summary>
    public long Bytes => Packs.Sum(pack => pack.Bytes) + Loose.Sum(loose => (long)ContentId.Size + loose.Data.Length);

    public static async Task<StoredContent> LoadAsync(NpgsqlTransaction transaction, PackCache cache, Guid projectId, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var packs = await connection.QueryAsync<PackRow>(new CommandDefinition(
            """
            SELECT id AS Id, created_at AS CreatedAt, raw_size AS RawSize,
                   octet_length(data)::bigint + octet_length(object_index) AS Bytes, object_index AS ObjectIndex
            FROM content_packs
            WHERE project_id = @projectId
            ORDER BY seq
            """,
            new { projectId }, transaction, cancellationToken: cancellationToken));
        var loose = await connection.QueryAsync<LooseRow>(new CommandDefinition(
            "SELECT id AS Id, kind AS Kind, data AS Data, written_at AS WrittenAt FROM content_objects WHERE project_id = @projectId ORDER BY seq",
            new { projectId }, transaction, cancellationToken: cancellationToken));
        return new StoredContent(
            transaction,
            cache,
            projectId,
            packs.Select(row => new StoredPack(row.Id, row.CreatedAt, row.RawSize, row.Bytes, PackIndex.Decode(row.ObjectIndex))).ToArray(),
            loose.Select(row => new LooseObject(ContentId.Read(row.Id), row.Kind == "text", row.Data, row.WrittenAt)).ToArray());
    }

    public async Task<Pack> OpenAsync(StoredPack pack, CancellationToken cancellationToken)
    {
        if (cache.TryGetPack(pack.Id, out var cached))
        {
            return cached;
        }

        var data = await transaction.Connection!.QuerySingleAsync<byte[]>(new CommandDefinition(
            "SELECT data FROM content_packs WHERE project_id = @projectId AND id = @id",
            new { projectId, id = pack.Id }, transaction, cancellationToken: cancellationToken));
        var opened = Pack.Open(data, pack.Index);
        cache.SetPack(pack.Id, opened);
        return opened;
    }

    private sealed record PackRow(Guid Id, DateTime CreatedAt, int RawSize, long Bytes, byte[] ObjectIndex);

    private sealed record LooseRow(byte[] Id, string Kind, byte[] Data, DateTime WrittenAt);
}
