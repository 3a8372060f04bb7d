namespace Folio.Versioning.Tests.Text;

/// <summary>Random Markdown-ish texts mixing block syntax, blank lines, odd whitespace and all three line endings.</summary>
internal static class RandomMarkdown
{
    private static readonly string[] Lines =
        ["Plain prose line.", "Another line of prose.", "", " ", "  \t", "# Heading", "- item", "1. item", "> quote", "```", "---", "    code", "[x]: http://x", "Setext", "===", "<div>", "\t- nested", "Mr.\u00a0Bennet  said"];

    private static readonly string[] Endings = ["\n", "\r\n", "\r"];

    public static string Next(Random random)
    {
        var text = string.Concat(Enumerable.Range(0, random.Next(0, 15)).Select(_ => Lines[random.Next(Lines.Length)] + Endings[random.Next(Endings.Length)]));
        return random.Next(2) == 0 && text.Length > 0 ? text[..^1] : text;
    }
}
