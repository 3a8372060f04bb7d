using System.Text.Json;
using Folio.Generation.Core.Agents;

namespace Folio.Generation.Core.Offline;

/// <summary>The brief as JSON text, the shape real providers answer with (camelCase).</summary>
internal static class BriefJson
{
    public static string Write(ChapterBrief brief) => JsonSerializer.Serialize(brief, ModelJson.Options);

    /// <summary>Reads a brief; a missing or null member is a <see cref="JsonException"/>, not a half-filled brief.</summary>
    public static ChapterBrief Parse(string json) => ModelJson.Read<ChapterBrief>(json, "brief");
}
