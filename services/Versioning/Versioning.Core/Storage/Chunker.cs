namespace Folio.Versioning.Core.Storage;

/// <summary>
/// Cuts a UTF-8 text into chunks whose concatenation is the text, byte for byte: each chunk is a paragraph with the
/// blank lines after it, so an edit to one paragraph leaves the others' chunks (and their storage) untouched.
/// A paragraph longer than <see cref="MaxChunk"/> is cut further at content-defined points (a gear rolling hash), so
/// an edit inside a huge paragraph or a text without blank lines still only changes the chunks around it.
/// Boundaries are not part of any id: the chunker may change without touching stored objects.
/// </summary>
public static class Chunker
{
    public const int MaxChunk = 16 * 1024;

    private const int MinCut = 2 * 1024;

    /// <summary>A cut where the top 12 bits of the hash are zero: about every 4 KiB after <see cref="MinCut"/>.</summary>
    private const int CutShift = 64 - 12;

    private static readonly ulong[] Gear = CreateGear();

    public static IReadOnlyList<Range> Split(ReadOnlySpan<byte> text)
    {
        var chunks = new List<Range>();
        var start = 0;
        var lineStart = 0;
        var seenContent = false;
        var inBlankRun = false;
        while (lineStart < text.Length)
        {
            var newline = text[lineStart..].IndexOf((byte)'\n');
            var lineEnd = newline < 0 ? text.Length : lineStart + newline + 1;
            var blank = IsBlank(text[lineStart..lineEnd]);
            if (!blank && inBlankRun)
            {
                AddParagraph(chunks, text, start, lineStart);
                start = lineStart;
                inBlankRun = false;
            }

            inBlankRun |= blank && seenContent;
            seenContent |= !blank;
            lineStart = lineEnd;
        }

        AddParagraph(chunks, text, start, text.Length);
        return chunks;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    private static void AddParagraph(List<Range> chunks, ReadOnlySpan<byte> text, int start, int end)
    {
        while (end - start > MaxChunk)
        {
            var cut = start + ContentDefinedCut(text[start..end]);
            chunks.Add(start..cut);
            start = cut;
        }

        if (end > start)
        {
            chunks.Add(start..end);
        }
    }

    private static int ContentDefinedCut(ReadOnlySpan<byte> data)
    {
        ulong hash = 0;
        var limit = Math.Min(data.Length, MaxChunk);
        for (var i = 0; i < limit; i++)
        {
            hash = (hash << 1) + Gear[data[i]];
            if (i + 1 >= MinCut && hash >> CutShift == 0)
            {
                return i + 1;
            }
        }

        return limit;
    }

    /// <summary>Fixed pseudo-random values (SplitMix64 from a constant seed): the same on every machine and run.</summary>
    private static ulong[] CreateGear()
    {
        var gear = new ulong[256];
        var state = 0x466F6C696F436863UL;
        for (var i = 0; i < gear.Length; i++)
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            gear[i] = z ^ (z >> 31);
        }

        return gear;
    }
}
