namespace Folio.Versioning.Api.Features.Content;

/// <summary>A thread-safe least-recently-used cache bounded by the summed size of its values.</summary>
internal sealed class LruCache<TKey, TValue>(long capacity, Func<TValue, long> sizeOf)
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value, long Size)>> entries = [];
    private readonly LinkedList<(TKey Key, TValue Value, long Size)> recency = new();
    private long size;

    public bool TryGet(TKey key, out TValue value)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        var entrySize = sizeOf(value);
        lock (gate)
        {
            RemoveLocked(key);
            if (entrySize > capacity)
            {
                return;
            }

            entries[key] = recency.AddFirst((key, value, entrySize));
            size += entrySize;
            while (size > capacity && recency.Last is { } oldest)
            {
                RemoveLocked(oldest.Value.Key);
            }
        }
    }

    public void Remove(TKey key)
    {
        lock (gate)
        {
            RemoveLocked(key);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
            recency.Clear();
            size = 0;
        }
    }

    private void RemoveLocked(TKey key)
    {
        if (entries.Remove(key, out var node))
        {
            recency.Remove(node);
            size -= node.Value.Size;
        }
    }
}
