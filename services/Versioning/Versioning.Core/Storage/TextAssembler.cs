namespace Folio.Versioning.Core.Storage;

public static class TextAssembler
{
    /// <summary>Concatenates the chunks and checks the result against the id: any corruption on the way surfaces here.</summary>
    public static string Assemble(ContentId id, IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        var utf8 = new byte[chunks.Sum(chunk => (long)chunk.Length)];
        var position = 0;
        foreach (var chunk in chunks)
        {
            chunk.Span.CopyTo(utf8.AsSpan(position));
            position += chunk.Length;
        }

        return ContentId.OfText(utf8) == id
            ? ContentText.Decode(utf8)
            : throw new InvalidDataException($"Text {id} does not match its content: the stored object is corrupt.");
    }
}
