using Dapper;
using Folio.Versioning.Core.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Versioning.Api.Features.Content;

/// <summary>
/// Content-addressed, immutable storage of texts (chapters, book trees, drafts) per project. A text is split into
/// paragraph chunks; a chunk the project already stores is never stored again. New objects are written as loose,
/// individually compressed rows; <see cref="RepackAsync"/> (run by <see cref="ContentRepacker"/>) moves them into
/// packs, where every version of every paragraph shares one Brotli stream and near-duplicates cost almost nothing.
/// Ids are SHA-256 digests in hex; every text read is checked against its id.
/// </summary>
public sealed class ContentStore
{
    private readonly NpgsqlDataSource db;
    private readonly ContentWriter writer;
    private readonly ContentReader reader;
    private readonly ContentMaintenance maintenance;

    public ContentStore(NpgsqlDataSource db, IOptions<ContentStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.db = db;
        var cache = new PackCache(options.Value);
        writer = new ContentWriter(cache);
        reader = new ContentReader(db, cache);
        maintenance = new ContentMaintenance(db, cache, options.Value);
    }

    /// <summary>Stores the text inside the caller's transaction (only what the project does not hold yet) and returns its id.</summary>
    public async Task<string> WriteAsync(NpgsqlTransaction transaction, Guid projectId, string text, CancellationToken cancellationToken) =>
        (await writer.WriteAsync(transaction, projectId, text, cancellationToken)).ToString();

    /// <summary>
    /// Adds to <paramref name="batch"/>, which must run in a transaction, the writes that store <paramref name="texts"/>
    /// (only what the project does not hold yet, found out in one round trip), so they commit with the caller's own.
    /// </summary>
    public Task AppendAsync(NpgsqlBatch batch, Guid projectId, IReadOnlyCollection<ChunkedText> texts, CancellationToken cancellationToken) =>
        writer.AppendAsync(batch, projectId, texts, cancellationToken);

    /// <summary>Texts the caller has just committed (keyed by the ids <see cref="WriteAsync"/> gave them), so reading them back costs no round trip.</summary>
    public void Remember(Guid projectId, IReadOnlyDictionary<string, string> committed)
    {
        foreach (var (contentId, text) in committed)
        {
            reader.Remember(projectId, ContentId.Parse(contentId), text);
        }
    }

    /// <exception cref="KeyNotFoundException">The project holds no text with this id.</exception>
    /// <exception cref="InvalidDataException">The stored text is corrupt.</exception>
    public async Task<string> ReadAsync(Guid projectId, string contentId, CancellationToken cancellationToken)
    {
        var id = ParseOrNotFound(projectId, contentId);
        return (await reader.ReadAsync(projectId, [id], cancellationToken))[id];
    }

    /// <summary>Every requested text, keyed by the id as given.</summary>
    /// <exception cref="KeyNotFoundException">Any of the ids is missing (the message lists them).</exception>
    public async Task<IReadOnlyDictionary<string, string>> ReadManyAsync(Guid projectId, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contentIds);
        var ids = contentIds.Distinct().ToDictionary(contentId => contentId, contentId => ParseOrNotFound(projectId, contentId));
        var texts = await reader.ReadAsync(projectId, ids.Values.Distinct().ToArray(), cancellationToken);
        return ids.ToDictionary(entry => entry.Key, entry => texts[entry.Value]);
    }

    /// <summary>
    /// Moves the project's loose objects into a pack, merging the open (unsealed) packs into it. Runs beside writers
    /// and readers; a second repack of the same project waits for the first.
    /// </summary>
    public Task<RepackResult> RepackAsync(Guid projectId, CancellationToken cancellationToken) =>
        maintenance.RepackAsync(projectId, cancellationToken);

    /// <summary>
    /// Removes every text not in <paramref name="reachableContentIds"/> — and not written within the grace period —
    /// and every chunk no remaining text uses. The set must hold every id still referenced anywhere: chapter texts of
    /// all commits kept, book trees, drafts. Writers of the project wait while it runs.
    /// </summary>
    public Task<GcResult> CollectGarbageAsync(Guid projectId, IReadOnlySet<string> reachableContentIds, CancellationToken cancellationToken) =>
        maintenance.CollectGarbageAsync(projectId, reachableContentIds, cancellationToken);

    public async Task<StorageStats> GetStatsAsync(Guid projectId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<StorageStats>(new CommandDefinition(
            """
            SELECT loose.texts AS LooseTexts, loose.chunks AS LooseChunks, loose.bytes AS LooseBytes,
                   packs.packs AS Packs, packs.texts AS PackedTexts, packs.chunks AS PackedChunks,
                   packs.bytes AS PackBytes, packs.index_bytes AS IndexBytes, packs.raw_bytes AS PackedRawBytes
            FROM (SELECT count(*) FILTER (WHERE kind = 'text')::int AS texts,
                         count(*) FILTER (WHERE kind = 'chunk')::int AS chunks,
                         coalesce(sum(octet_length(id) + octet_length(data)), 0)::bigint AS bytes
                  FROM content_objects WHERE project_id = @projectId) loose,
                 (SELECT count(*)::int AS packs,
                         coalesce(sum(text_count), 0)::int AS texts,
                         coalesce(sum(chunk_count), 0)::int AS chunks,
                         coalesce(sum(octet_length(data)), 0)::bigint AS bytes,
                         coalesce(sum(octet_length(object_index)), 0)::bigint AS index_bytes,
                         coalesce(sum(raw_size), 0)::bigint AS raw_bytes
                  FROM content_packs WHERE project_id = @projectId) packs
            """,
            new { projectId }, cancellationToken: cancellationToken));
    }

    private static ContentId ParseOrNotFound(Guid projectId, string contentId) =>
        ContentId.TryParse(contentId, out var id) ? id : throw new KeyNotFoundException($"No content {contentId} in project {projectId}.");
}
