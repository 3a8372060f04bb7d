using System.Security.Cryptography;

namespace Folio.Versioning.Core.Storage;

/// <summary>
/// A decompressed, verified pack held in memory: slicing a chunk or assembling a text is a copy. Immutable, so one
/// instance serves any number of concurrent readers.
/// </summary>
public sealed class Pack
{
    private readonly byte[] raw;
    private readonly int[] chunkOffsets;
    private readonly Dictionary<ContentId, int> textOrdinals;
    private readonly int[][] textReferences;
    private readonly ContentId[] externalChunks;
    private readonly Lazy<(ContentId[] Ids, Dictionary<ContentId, int> Ordinals)> chunkIds;

    private Pack(byte[] raw, int[] chunkOffsets, IReadOnlyList<ContentId> texts, int[][] textReferences, ContentId[] externalChunks)
    {
        this.raw = raw;
        this.chunkOffsets = chunkOffsets;
        this.textReferences = textReferences;
        this.externalChunks = externalChunks;
        TextIds = texts;
        textOrdinals = new Dictionary<ContentId, int>(texts.Count);
        foreach (var text in texts)
        {
            if (!textOrdinals.TryAdd(text, textOrdinals.Count))
            {
                throw new InvalidDataException($"Text {text} is listed twice in a pack index.");
            }
        }

        chunkIds = new Lazy<(ContentId[], Dictionary<ContentId, int>)>(HashChunks);
    }

    public IReadOnlyList<ContentId> TextIds { get; }

    public int ChunkCount => chunkOffsets.Length - 1;

    /// <summary>Roughly what this instance keeps alive, for the size-bounded cache.</summary>
    public long MemorySize => raw.Length + 64L * ChunkCount + 96L * TextIds.Count + textReferences.Sum(references => 4L * references.Length);

    public static Pack Open(ReadOnlySpan<byte> data, PackIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var raw = Brotli.Decompress(data, index.RawSize);
        if (!SHA256.HashData(raw).AsSpan().SequenceEqual(index.Digest))
        {
            throw new InvalidDataException("Pack content does not match its index: the pack is corrupt.");
        }

        return Parse(raw, index.Texts);
    }

    public bool ContainsText(ContentId id) => textOrdinals.ContainsKey(id);

    public bool ContainsChunk(ContentId id) => chunkIds.Value.Ordinals.ContainsKey(id);

    public bool TryGetChunk(ContentId id, out ReadOnlyMemory<byte> bytes)
    {
        var found = chunkIds.Value.Ordinals.TryGetValue(id, out var ordinal);
        bytes = found ? Chunk(ordinal) : default;
        return found;
    }

    /// <summary>Chunks of the text kept in other packs; they must be passed to <see cref="ReadText"/>.</summary>
    public IEnumerable<ContentId> ExternalChunksOf(ContentId textId) =>
        References(textId).Where(reference => reference < 0).Select(reference => externalChunks[~reference]);

    public string ReadText(ContentId textId, IReadOnlyDictionary<ContentId, ReadOnlyMemory<byte>>? external = null) =>
        TextAssembler.Assemble(textId, References(textId)
            .Select(reference => reference >= 0 ? Chunk(reference) : Resolve(externalChunks[~reference], external))
            .ToArray());

    /// <summary>Everything in the pack with ids, in stream order, to be written into another pack.</summary>
    public PackContents Contents()
    {
        var ids = chunkIds.Value.Ids;
        return new PackContents(
            ids.Select((id, ordinal) => new PackChunk(id, Chunk(ordinal))).ToArray(),
            TextIds.Select((id, ordinal) => new PackText(id, textReferences[ordinal].Select(reference => reference >= 0 ? ids[reference] : externalChunks[~reference]).ToArray())).ToArray());
    }

    private ReadOnlyMemory<byte> Chunk(int ordinal) => raw.AsMemory(chunkOffsets[ordinal]..chunkOffsets[ordinal + 1]);

    private int[] References(ContentId textId) =>
        textOrdinals.TryGetValue(textId, out var ordinal) ? textReferences[ordinal] : throw new KeyNotFoundException($"Text {textId} is not in this pack.");

    private static ReadOnlyMemory<byte> Resolve(ContentId chunk, IReadOnlyDictionary<ContentId, ReadOnlyMemory<byte>>? external) =>
        external is not null && external.TryGetValue(chunk, out var bytes)
            ? bytes
            : throw new KeyNotFoundException($"Chunk {chunk} is kept in another pack that was not supplied.");

    private (ContentId[], Dictionary<ContentId, int>) HashChunks()
    {
        var ids = new ContentId[ChunkCount];
        var ordinals = new Dictionary<ContentId, int>(ids.Length);
        for (var ordinal = 0; ordinal < ids.Length; ordinal++)
        {
            ids[ordinal] = ContentId.OfChunk(Chunk(ordinal).Span);
            ordinals.TryAdd(ids[ordinal], ordinal);
        }

        return (ids, ordinals);
    }

    private static Pack Parse(byte[] raw, IReadOnlyList<ContentId> texts)
    {
        if (raw.Length == 0 || raw[0] != PackWriter.Version)
        {
            throw new InvalidDataException("Unknown pack version.");
        }

        var position = 1;
        var chunkCount = Varint.ReadLength(raw, ref position, raw.Length);
        var textCount = Varint.ReadLength(raw, ref position, raw.Length);
        if (textCount != texts.Count)
        {
            throw new InvalidDataException("Pack and index disagree on the number of texts.");
        }

        var offsets = new int[chunkCount + 1];
        var lengths = new int[chunkCount];
        for (var i = 0; i < chunkCount; i++)
        {
            lengths[i] = Varint.ReadLength(raw, ref position, raw.Length);
        }

        offsets[0] = position;
        for (var i = 0; i < chunkCount; i++)
        {
            offsets[i + 1] = offsets[i] + lengths[i] <= raw.Length ? offsets[i] + lengths[i] : throw new InvalidDataException("Pack chunk out of range.");
        }

        position = offsets[chunkCount];
        var externals = new List<ContentId>();
        var references = new int[textCount][];
        for (var text = 0; text < textCount; text++)
        {
            references[text] = new int[Varint.ReadLength(raw, ref position, raw.Length - position)];
            var previous = -1;
            for (var i = 0; i < references[text].Length; i++)
            {
                var tag = Varint.Read(raw, ref position);
                if (tag == 1)
                {
                    externals.Add(Varint.ReadId(raw, ref position));
                    references[text][i] = ~(externals.Count - 1);
                    continue;
                }

                var ordinal = (long)previous + 1 + UnZigZag(tag >> 1);
                if ((tag & 1) != 0 || ordinal < 0 || ordinal >= chunkCount)
                {
                    throw new InvalidDataException("Pack text refers to a chunk out of range.");
                }

                references[text][i] = previous = (int)ordinal;
            }
        }

        return position == raw.Length
            ? new Pack(raw, offsets, texts, references, externals.ToArray())
            : throw new InvalidDataException("Trailing bytes after the last text of a pack.");
    }

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
