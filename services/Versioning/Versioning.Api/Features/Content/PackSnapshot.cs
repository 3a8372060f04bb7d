using Dapper;
using Folio.Versioning.Core.Storage;
using Npgsql;

namespace Folio.Versioning.Api.Features.Content;

internal sealed record PackEntry(Guid Id, PackIndex Index);

/// <summary>
/// A project's packs as one transaction sees them. On a repeatable-read transaction every listed pack stays
/// loadable; on a writer's read-committed transaction a concurrent repack may replace one, and the lookups then return
/// null so the writer looks again.
/// </summary>
internal sealed class PackSnapshot
{
    private readonly NpgsqlTransaction transaction;
    private readonly PackCache cache;
    private readonly Guid projectId;

    private PackSnapshot(NpgsqlTransaction transaction, PackCache cache, Guid projectId, IReadOnlyList<PackEntry> packs)
    {
        this.transaction = transaction;
        this.cache = cache;
        this.projectId = projectId;
        Packs = packs;
    }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<PackEntry> Packs { get; }

    /// <summary>The project's packs, oldest first, with the index of those <c>@known</c> does not name.</summary>
    public const string ListSql =
        """
        SELECT id AS Id, CASE WHEN id = ANY(@known) THEN NULL ELSE object_index END AS ObjectIndex
        FROM content_packs
        WHERE project_id = @projectId
        ORDER BY seq
        """;

    public Guid ProjectId => projectId;

    public static async Task<PackSnapshot> ListAsync(NpgsqlTransaction transaction, PackCache cache, Guid projectId, CancellationToken cancellationToken)
    {
        var known = cache.IndexesOf(projectId);
        var rows = await transaction.Connection!.QueryAsync<PackRow>(new CommandDefinition(
            ListSql, new { projectId, known = known.Keys.ToArray() }, transaction, cancellationToken: cancellationToken));
        return From(transaction, cache, projectId, known, rows);
    }

    /// <summary>A snapshot from the rows of <see cref="ListSql"/>, read with the keys of <paramref name="known"/> as <c>@known</c>.</summary>
    public static PackSnapshot From(
        NpgsqlTransaction transaction, PackCache cache, Guid projectId, IReadOnlyDictionary<Guid, PackIndex> known, IEnumerable<PackRow> rows)
    {
        var packs = rows
            .Select(row => new PackEntry(row.Id, row.ObjectIndex is null ? known[row.Id] : PackIndex.Decode(row.ObjectIndex)))
            .ToArray();
        foreach (var pack in packs)
        {
            cache.SetIndex(pack.Id, pack.Index);
        }

        cache.SetDirectory(projectId, packs.Select(pack => pack.Id).ToArray());
        return new PackSnapshot(transaction, cache, projectId, packs);
    }

    public Task<PackSnapshot> ListAgainAsync(CancellationToken cancellationToken) => ListAsync(transaction, cache, projectId, cancellationToken);

    public PackEntry? FindText(ContentId id) => Packs.FirstOrDefault(pack => pack.Index.Contains(id));

    public async Task<Pack?> OpenAsync(PackEntry entry) =>
        // Someone else's load may have come back empty on a transaction that no longer sees the pack; this one may.
        await cache.GetOrLoadAsync(entry.Id, () => LoadAsync(entry)) ?? await LoadAsync(entry);

    /// <summary>The chunks found in the packs, newest pack first; null if a pack vanished.</summary>
    public async Task<Dictionary<ContentId, ReadOnlyMemory<byte>>?> FindChunksAsync(IEnumerable<ContentId> ids)
    {
        var wanted = ids.ToHashSet();
        var found = new Dictionary<ContentId, ReadOnlyMemory<byte>>();
        foreach (var entry in Packs.Reverse())
        {
            if (wanted.Count == 0)
            {
                break;
            }

            if (await OpenAsync(entry) is not { } pack)
            {
                return null;
            }

            foreach (var id in wanted.ToArray())
            {
                if (pack.TryGetChunk(id, out var bytes))
                {
                    found[id] = bytes;
                    wanted.Remove(id);
                }
            }
        }

        return found;
    }

    /// <summary>The text from its pack, with the chunks it keeps in other packs; null if a pack vanished.</summary>
    public async Task<string?> ReadTextAsync(PackEntry home, ContentId id)
    {
        if (await OpenAsync(home) is not { } pack)
        {
            return null;
        }

        var external = pack.ExternalChunksOf(id).ToHashSet();
        if (external.Count == 0)
        {
            return pack.ReadText(id);
        }

        var found = await FindChunksAsync(external);
        return found is null ? null
            : found.Count == external.Count ? pack.ReadText(id, found)
            : throw new InvalidDataException($"Text {id} refers to chunks that no pack of project {projectId} holds.");
    }

    private async Task<Pack?> LoadAsync(PackEntry entry)
    {
        var data = await transaction.Connection!.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT data FROM content_packs WHERE project_id = @projectId AND id = @id",
            new { projectId, id = entry.Id }, transaction));
        return data is null ? null : Pack.Open(data, entry.Index);
    }

    internal sealed record PackRow(Guid Id, byte[]? ObjectIndex);
}
