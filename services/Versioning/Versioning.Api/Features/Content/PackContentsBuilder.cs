using Folio.Versioning.Core.Storage;

namespace Folio.Versioning.Api.Features.Content;

/// <summary>
/// Collects what new packs will hold, in the order it is added (oldest first), once each, leaving out what the packs
/// that stay already hold. Refuses to produce a text whose chunks would be stored nowhere.
/// </summary>
internal sealed class PackContentsBuilder(IReadOnlyList<Pack> staying)
{
    private readonly List<PackChunk> chunks = [];
    private readonly List<PackText> texts = [];
    private readonly HashSet<ContentId> chunkIds = [];
    private readonly HashSet<ContentId> textIds = [];

    public void Add(PackChunk chunk)
    {
        if (!staying.Any(pack => pack.ContainsChunk(chunk.Id)) && chunkIds.Add(chunk.Id))
        {
            chunks.Add(chunk);
        }
    }

    public void Add(PackText text)
    {
        if (!staying.Any(pack => pack.ContainsText(text.Id)) && textIds.Add(text.Id))
        {
            texts.Add(text);
        }
    }

    public PackContents Build()
    {
        var unstored = texts
            .SelectMany(text => text.Chunks)
            .Where(chunk => !chunkIds.Contains(chunk) && !staying.Any(pack => pack.ContainsChunk(chunk)))
            .Distinct()
            .ToArray();
        return unstored.Length == 0
            ? new PackContents(chunks, texts)
            : throw new InvalidDataException($"Texts refer to {unstored.Length} chunks that are stored nowhere (first: {unstored[0]}).");
    }
}
