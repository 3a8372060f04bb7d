using System.Text.Encodings.Web;
using System.Text.Json;
using Folio.Generation.Core.Agents;

namespace Folio.Generation.Core.Offline;

/// <summary>The brief as JSON text, the shape real providers answer with (camelCase).</summary>
internal static class BriefJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Prose stays readable ("it's", quotes) in stored and logged briefs; this JSON is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static string Write(ChapterBrief brief) => JsonSerializer.Serialize(brief, Options);

    /// <summary>Reads a brief; a missing or null member is a <see cref="JsonException"/>, not a half-filled brief.</summary>
    public static ChapterBrief Parse(string json) =>
        JsonSerializer.Deserialize<ChapterBrief>(WithoutCodeFence(json), Options) ?? throw new JsonException("The brief is null.");

    /// <summary>Chat models often wrap JSON in a Markdown fence (```json … ```) even when asked not to.</summary>
    private static string WithoutCodeFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6)
        {
            return trimmed;
        }

        var firstLineEnd = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return firstLineEnd < 0 ? trimmed[3..^3] : trimmed[(firstLineEnd + 1)..^3];
    }
}
