namespace Folio.Versioning.Core.Text;

/// <summary>Line boundaries counted as Markdig counts them: "\r\n", "\n" and a lone "\r" each end a line.</summary>
internal sealed class SourceLines
{
    private readonly string text;
    private readonly List<(int Start, int End)> lines;

    private SourceLines(string text, List<(int Start, int End)> lines)
    {
        this.text = text;
        this.lines = lines;
    }

    public int Count => lines.Count;

    public static SourceLines Of(string text)
    {
        var lines = new List<(int Start, int End)>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\n' or '\r')
            {
                lines.Add((start, i));
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add((start, text.Length));
        }

        return new SourceLines(text, lines);
    }

    public int Start(int line) => lines[line].Start;

    /// <summary>The line holding a position; -1 past the end.</summary>
    public int LineAt(int position)
    {
        int low = 0, high = lines.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (position < lines[middle].Start)
            {
                high = middle - 1;
            }
            else if (middle + 1 < lines.Count && position >= lines[middle + 1].Start)
            {
                low = middle + 1;
            }
            else
            {
                return position < text.Length ? middle : -1;
            }
        }

        return -1;
    }

    public int End(int line) => lines[line].End;

    /// <summary>Blank as CommonMark defines it: nothing but spaces and tabs.</summary>
    public bool IsBlank(int line)
    {
        for (var i = lines[line].Start; i < lines[line].End; i++)
        {
            if (text[i] is not (' ' or '\t'))
            {
                return false;
            }
        }

        return true;
    }

    public int FirstNonBlank()
    {
        for (var line = 0; line < lines.Count; line++)
        {
            if (!IsBlank(line))
            {
                return line;
            }
        }

        return -1;
    }
}
