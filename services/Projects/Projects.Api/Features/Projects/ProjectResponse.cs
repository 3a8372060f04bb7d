using System.Text.Json.Serialization;

namespace Folio.Projects.Api.Features.Projects;

public sealed record ProjectResponse(
    Guid Id,
    string Title,
    string? Subtitle,
    string? Genre,
    string Language,
    int? TargetWordCount,
    string Status,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    [JsonIgnore]
    public string ETag => $"\"{Version}\"";
}

public sealed record ProjectListResponse(IReadOnlyList<ProjectResponse> Items);
