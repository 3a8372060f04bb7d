using System.Text.Encodings.Web;
using System.Text.Json;

namespace Folio.Generation.Core.Agents;

/// <summary>The JSON the agents ask models for (camelCase), read strictly: a missing or null member is an error, not a half-filled answer.</summary>
internal static class ModelJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Prose stays readable ("it's", quotes) in stored and logged answers; this JSON is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static T Read<T>(string text, string what) =>
        JsonSerializer.Deserialize<T>(WithoutCodeFence(text), Options) ?? throw new JsonException($"The {what} is null.");

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
