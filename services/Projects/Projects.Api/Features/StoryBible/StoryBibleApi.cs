using System.Text.Json;
using Dapper;
using FluentValidation;
using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Access;
using Folio.Projects.Api.Features.Audit;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.StoryBible;

public sealed record OutlineEntry(int Chapter, IReadOnlyList<string> Beats);

/// <summary>The book's plan in prose; each field's history is the audit log (resourceType=story_bible, field=…).</summary>
public sealed record StoryBible(string? Braindump, string? Genre, string? Style, string? Synopsis, string? Worldbuilding, IReadOnlyList<OutlineEntry> Outline);

internal sealed class StoryBibleValidator : AbstractValidator<StoryBible>
{
    public StoryBibleValidator()
    {
        RuleFor(bible => bible.Braindump).MaximumLength(100_000);
        RuleFor(bible => bible.Genre).MaximumLength(200);
        RuleFor(bible => bible.Style).MaximumLength(20_000);
        RuleFor(bible => bible.Synopsis).MaximumLength(50_000);
        RuleFor(bible => bible.Worldbuilding).MaximumLength(100_000);
        RuleFor(bible => bible.Outline).NotNull()
            .Must(outline => outline.Select(entry => entry.Chapter).Distinct().Count() == outline.Count).WithMessage("Each chapter appears once in the outline.")
            .Must(outline => outline.Count <= 2_000).WithMessage("At most 2,000 outline entries.");
        RuleForEach(bible => bible.Outline).ChildRules(entry =>
        {
            entry.RuleFor(e => e.Chapter).InclusiveBetween(1, 10_000);
            entry.RuleFor(e => e.Beats).NotNull().Must(beats => beats.Count <= 50).WithMessage("At most 50 beats per chapter.");
            entry.RuleForEach(e => e.Beats).NotEmpty().MaximumLength(2_000);
        });
    }
}

public static class StoryBibleApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly StoryBible Empty = new(null, null, null, null, null, []);

    public static IEndpointRouteBuilder MapStoryBibleApi(this IEndpointRouteBuilder app)
    {
        var bible = app.MapOwnedProjectGroup("/story-bible", "Story bible");
        bible.MapGet("/", GetAsync);
        bible.MapPut("/", UpdateAsync).WithValidation<StoryBible>();
        return app;
    }

    private static async Task<Ok<StoryBible>> GetAsync(Guid projectId, NpgsqlDataSource db, HttpContext http, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var (bible, version) = await ReadAsync(connection, null, projectId, cancellationToken);
        http.Response.SetETag(version);
        return TypedResults.Ok(bible);
    }

    private static async Task<Ok<StoryBible>> UpdateAsync(
        Guid projectId, StoryBible request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http, CancellationToken cancellationToken)
    {
        var expected = http.Request.RequiredIfMatchVersion();
        await using var write = await ProjectWrite.BeginAsync(db, outbox, http, user, projectId, cancellationToken);
        var (before, version) = await ReadAsync(write.Connection, write.Transaction, projectId, cancellationToken);
        if (version != expected)
        {
            throw ProblemException.PreconditionFailed($"The story bible is at version {version}, not {expected}: read it again and reapply your change.");
        }

        await write.Connection.ExecuteAsync(write.Command(
            """
            INSERT INTO story_bibles (project_id, braindump, genre, style, synopsis, worldbuilding, outline, version)
            VALUES (@projectId, @Braindump, @Genre, @Style, @Synopsis, @Worldbuilding, @Outline::jsonb, @next)
            ON CONFLICT (project_id) DO UPDATE
                SET braindump = excluded.braindump, genre = excluded.genre, style = excluded.style, synopsis = excluded.synopsis,
                    worldbuilding = excluded.worldbuilding, outline = excluded.outline, version = excluded.version, updated_at = now()
            """,
            new
            {
                projectId, request.Braindump, request.Genre, request.Style, request.Synopsis, request.Worldbuilding,
                Outline = JsonSerializer.Serialize(request.Outline.OrderBy(entry => entry.Chapter), Json),
                next = version + 1,
            }));
        write.Record("story_bible", projectId, before, request);
        var fields = FieldChanges.Between(before, request).Select(change => change.Field).ToList();
        if (fields.Count > 0)
        {
            write.Publish((messageId, correlationId, at, actor) => new StoryBibleUpdated(messageId, correlationId, at, actor, projectId, fields));
        }

        await write.CommitAsync();
        http.Response.SetETag(version + 1);
        return TypedResults.Ok((await ReadAsync(write.Connection, null, projectId, cancellationToken)).Bible);
    }

    /// <summary>A book without a bible yet reads as an empty one at version 1.</summary>
    private static async Task<(StoryBible Bible, int Version)> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid projectId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<BibleRow>(new CommandDefinition(
            """
            SELECT braindump AS Braindump, genre AS Genre, style AS Style, synopsis AS Synopsis, worldbuilding AS Worldbuilding,
                   outline::text AS Outline, version AS Version
            FROM story_bibles WHERE project_id = @projectId
            """,
            new { projectId }, transaction, cancellationToken: cancellationToken));
        return row is null
            ? (Empty, 1)
            : (new StoryBible(row.Braindump, row.Genre, row.Style, row.Synopsis, row.Worldbuilding, JsonSerializer.Deserialize<List<OutlineEntry>>(row.Outline, Json)!), row.Version);
    }

    private sealed class BibleRow
    {
        public string? Braindump { get; init; }
        public string? Genre { get; init; }
        public string? Style { get; init; }
        public string? Synopsis { get; init; }
        public string? Worldbuilding { get; init; }
        public string Outline { get; init; } = "[]";
        public int Version { get; init; }
    }
}
