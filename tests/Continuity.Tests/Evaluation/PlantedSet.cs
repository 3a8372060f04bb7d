using System.Text.Json;
using Folio.Continuity.Core;

namespace Folio.Continuity.Tests.Evaluation;

public sealed record PlantedEdit(int Line, string Find, string Replace);

public sealed record PlantedLabel(string Rule, int? Line);

public sealed record PlantedCopy(int Copy, int Chapter, IReadOnlyList<PlantedEdit> Edits, IReadOnlyList<PlantedLabel> Labels, int? TargetLength, int? TruncateAfter)
{
    /// <summary>The chapter's latest corpus text with the planted edits applied (lines keep their numbers).</summary>
    public ChapterToCheck Apply()
    {
        var lines = Book.Chapters[Chapter - 1].Split('\n');
        foreach (var edit in Edits)
        {
            var line = lines[edit.Line - 1];
            if (edit.Find.Length == 0)
            {
                lines[edit.Line - 1] = $"{line} {edit.Replace}";
                continue;
            }

            var at = line.IndexOf(edit.Find, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new InvalidOperationException($"Copy {Copy}: line {edit.Line} of chapter {Chapter} no longer contains \"{edit.Find}\".");
            }

            lines[edit.Line - 1] = string.Concat(line.AsSpan(0, at), edit.Replace, line.AsSpan(at + edit.Find.Length));
        }

        var text = string.Join('\n', TruncateAfter is { } last ? lines.Take(last) : lines);
        return new ChapterToCheck(Chapter, text, TargetLength ?? Core.Text.ChapterText.CountWords(Book.Chapters[Chapter - 1]));
    }
}

/// <summary>Evaluation/planted.json, written by Evaluation/plant.py.</summary>
public static class PlantedSet
{
    private sealed record PlantedFile(List<PlantedCopy> Copies);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<PlantedCopy> Load() =>
        JsonSerializer.Deserialize<PlantedFile>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Evaluation", "planted.json")), Json)!.Copies;
}
