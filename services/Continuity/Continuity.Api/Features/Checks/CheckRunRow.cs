using System.Text.Json;
using Folio.Continuity.Api.Features.Llm;
using Folio.Continuity.Core;
using ProjectionJson = Folio.Continuity.Api.Features.Projection.Projection;

namespace Folio.Continuity.Api.Features.Checks;

internal sealed class CheckRunRow
{
    public const string Columns =
        "id AS Id, project_id AS ProjectId, chapter_id AS ChapterId, chapter_number AS ChapterNumber, ref AS Ref, commit_id AS Commit, check_type AS CheckType, " +
        "trigger AS Trigger, status AS Status, words AS Words, violations::text AS Violations, passed_rules::text AS PassedRules, waived AS Waived, created_at AS CreatedAt, " +
        "llm::text AS Llm";

    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    public Guid ChapterId { get; init; }
    public int ChapterNumber { get; init; }
    public string Ref { get; init; } = "";
    public string Commit { get; init; } = "";
    public string CheckType { get; init; } = "";
    public string Trigger { get; init; } = "";
    public string Status { get; init; } = "";
    public int Words { get; init; }
    public string Violations { get; init; } = "[]";
    public string PassedRules { get; init; } = "[]";
    public int Waived { get; init; }
    public DateTime CreatedAt { get; init; }
    public string? Llm { get; init; }

    public CheckRun ToRun() => new(Id, ProjectId, ChapterId, ChapterNumber, Ref, Commit, CheckType, Trigger, Status, Words,
        JsonSerializer.Deserialize<List<Violation>>(Violations, ProjectionJson.Json)!, JsonSerializer.Deserialize<List<string>>(PassedRules, ProjectionJson.Json)!,
        Waived, DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc), Llm is null ? null : JsonSerializer.Deserialize<LlmCheck>(Llm, ProjectionJson.Json));
}
