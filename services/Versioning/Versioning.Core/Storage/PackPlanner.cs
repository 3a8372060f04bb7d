namespace Folio.Versioning.Core.Storage;

/// <summary>
/// Splits what is to be packed into packs of about <c>sealBytes</c> of chunks. A pack that reached that size is
/// sealed: repacks leave it alone, so a repack costs what the open pack and the loose objects hold, not the whole
/// history, and opening one pack never means decompressing more than a few MiB.
/// </summary>
public static class PackPlanner
{
    public static bool IsSealed(long rawSize, long sealBytes) => rawSize >= sealBytes;

    /// <summary>
    /// Chunks keep their order and fill packs one after another; each text goes to the pack holding most of its
    /// chunks (the latest on a tie), so its references are mostly positions rather than 32-byte ids.
    /// </summary>
    public static IReadOnlyList<PackContents> Plan(PackContents contents, long sealBytes)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var chunkPacks = new List<List<PackChunk>> { new() };
        var packOf = new Dictionary<ContentId, int>(contents.Chunks.Count);
        long filled = 0;
        foreach (var chunk in contents.Chunks)
        {
            if (filled >= sealBytes)
            {
                chunkPacks.Add([]);
                filled = 0;
            }

            chunkPacks[^1].Add(chunk);
            packOf[chunk.Id] = chunkPacks.Count - 1;
            filled += chunk.Bytes.Length;
        }

        var textPacks = chunkPacks.Select(_ => new List<PackText>()).ToArray();
        foreach (var text in contents.Texts)
        {
            var home = text.Chunks
                .Where(packOf.ContainsKey)
                .GroupBy(chunk => packOf[chunk])
                .Select(group => (Pack: group.Key, Count: group.Count()))
                .OrderByDescending(candidate => candidate.Count)
                .ThenByDescending(candidate => candidate.Pack)
                .Select(candidate => (int?)candidate.Pack)
                .FirstOrDefault() ?? chunkPacks.Count - 1;
            textPacks[home].Add(text);
        }

        return chunkPacks.Select((chunks, pack) => new PackContents(chunks, textPacks[pack])).ToArray();
    }
}
