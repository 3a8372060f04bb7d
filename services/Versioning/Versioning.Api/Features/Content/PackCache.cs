using System.Collections.Concurrent;
using Folio.Versioning.Core.Storage;

namespace Folio.Versioning.Api.Features.Content;

/// <summary>
/// What this process knows about projects' content. A pack never changes once written and is known by its id, and a
/// text is known by its digest, so nothing cached is ever wrong; which packs a project has (its directory) can go
/// stale when another replica repacks, so it is only a hint and a miss goes to the database. Assembled texts are
/// cached too (most-read first), so a hot read neither copies, hashes nor decodes its chunks again.
/// </summary>
internal sealed class PackCache(ContentStoreOptions options)
{
    private readonly LruCache<Guid, Guid[]> directories = new(100_000, _ => 1);
    private readonly LruCache<Guid, PackIndex> indexes = new(Math.Max(1, options.PackCacheBytes / 8), index => 64L + 48L * index.Texts.Count);
    private readonly LruCache<Guid, Pack> packs = new(options.PackCacheBytes, pack => pack.MemorySize);
    private readonly LruCache<(Guid Project, ContentId Id), string> texts = new(options.TextCacheBytes, text => 64L + 2L * text.Length);
    private readonly ConcurrentDictionary<Guid, Lazy<Task<Pack?>>> loading = new();

    /// <summary>The project's packs this process holds in memory, oldest first.</summary>
    public IReadOnlyList<Pack> PacksOf(Guid projectId) =>
        directories.TryGet(projectId, out var ids)
            ? ids.Select(id => packs.TryGet(id, out var pack) ? pack : null).OfType<Pack>().ToArray()
            : [];

    public IReadOnlyDictionary<Guid, PackIndex> IndexesOf(Guid projectId) =>
        directories.TryGet(projectId, out var ids)
            ? ids.Select(id => (id, index: indexes.TryGet(id, out var index) ? index : null))
                .Where(entry => entry.index is not null)
                .ToDictionary(entry => entry.id, entry => entry.index!)
            : new Dictionary<Guid, PackIndex>();

    public void SetDirectory(Guid projectId, Guid[] packIds) => directories.Set(projectId, packIds);

    public void SetIndex(Guid packId, PackIndex index) => indexes.Set(packId, index);

    public void SetPack(Guid packId, Pack pack) => packs.Set(packId, pack);

    public bool TryGetPack(Guid packId, out Pack pack) => packs.TryGet(packId, out pack);

    public bool TryGetText(Guid projectId, ContentId id, out string text) => texts.TryGet((projectId, id), out text);

    public void SetText(Guid projectId, ContentId id, string text) => texts.Set((projectId, id), text);

    /// <summary>After a collection: a removed text must not be served from here (by this process, at least).</summary>
    public void ForgetTexts() => texts.Clear();

    public void Forget(Guid packId)
    {
        packs.Remove(packId);
        indexes.Remove(packId);
    }

    /// <summary>
    /// One load per pack however many readers miss it at once; null when the pack is gone (a repack replaced it).
    /// The load ignores the callers' cancellation: it is short, and others may be waiting for it.
    /// </summary>
    public async Task<Pack?> GetOrLoadAsync(Guid packId, Func<Task<Pack?>> load)
    {
        if (packs.TryGet(packId, out var cached))
        {
            return cached;
        }

        var attempt = new Lazy<Task<Pack?>>(async () =>
        {
            var pack = await load();
            if (pack is not null)
            {
                packs.Set(packId, pack);
            }

            return pack;
        });
        var current = loading.GetOrAdd(packId, attempt);
        try
        {
            return await current.Value;
        }
        finally
        {
            loading.TryRemove(new KeyValuePair<Guid, Lazy<Task<Pack?>>>(packId, current));
        }
    }
}
