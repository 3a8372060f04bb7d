using System.Text.Json;
using Dapper;
using Folio.Continuity.Api.Features.Llm;
using Folio.Continuity.Api.Features.Sources;
using Folio.Continuity.Core;
using Folio.Contracts;
using Folio.Contracts.Continuity;
using Folio.ServiceDefaults.Messaging;
using Npgsql;
using ProjectionJson = Folio.Continuity.Api.Features.Projection.Projection;

namespace Folio.Continuity.Api.Features.Checks;

/// <param name="ChapterNumber">Overrides the projected number (the saga knows it before Projects' event arrives).</param>
/// <param name="Brief">Overrides the brief Projects holds for the chapter; <paramref name="TargetLength"/> likewise overrides its target length.</param>
/// <param name="ClearsStaleUpTo">
/// The check clears only a staleness caused by a commit made up to then (an automatic re-check at a commit: a newer commit's
/// mark waits for the next pass); without it, any staleness.
/// </param>
public sealed record CheckRequest(
    Guid ProjectId, Guid ChapterId, int? ChapterNumber, string Ref, string BearerToken, string Trigger, ChapterBrief? Brief, Actor Actor, Guid CorrelationId,
    int? TargetLength = null, DateTimeOffset? ClearsStaleUpTo = null);

public enum CheckOutcome
{
    Checked,
    UnknownProject,
    UnknownChapter,
    UnknownText,
}

/// <summary>
/// One check, start to end: read the chapter from Versioning, load the book's context, run the rules (and, when the book has them on, the
/// LLM review, bounded by its timeout — the transaction has written nothing another check waits for yet), drop waived violations,
/// store the run and the chapter's extraction, clear the chapter's staleness and offer the extraction to Projects, all in the caller's transaction.
/// </summary>
public sealed class CheckRunner(IChapterTexts texts, IOutbox outbox, TimeProvider clock, LlmReviewer llm)
{
    public const string CheckType = "rules";
    public const string CheckTypeWithLlm = "rules+llm";

    private sealed record ChapterRow(int Number, int? TargetLength, string? Brief);

    public async Task<(CheckOutcome Outcome, CheckRun? Run)> RunAsync(NpgsqlTransaction transaction, CheckRequest request, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var chapter = await connection.QuerySingleOrDefaultAsync<ChapterRow>(new CommandDefinition(
            "SELECT number AS Number, target_length AS TargetLength, brief::text AS Brief FROM chapters WHERE project_id = @ProjectId AND chapter_id = @ChapterId",
            new { request.ProjectId, request.ChapterId }, transaction, cancellationToken: cancellationToken));
        var number = request.ChapterNumber ?? chapter?.Number;
        if (number is null)
        {
            return (CheckOutcome.UnknownChapter, null);
        }

        var book = await BookContextLoader.LoadAsync(transaction, request.ProjectId, number.Value, cancellationToken);
        if (book is null)
        {
            return (CheckOutcome.UnknownProject, null);
        }

        var source = await texts.GetAsync(request.ProjectId, request.Ref, request.ChapterId, request.BearerToken, cancellationToken);
        if (source is null)
        {
            return (CheckOutcome.UnknownText, null);
        }

        var brief = request.Brief ?? (chapter?.Brief is { } stored ? JsonSerializer.Deserialize<ChapterBrief>(stored, ProjectionJson.Json) : null);
        var input = new ChapterToCheck(number.Value, source.Text, request.TargetLength ?? chapter?.TargetLength, brief);
        var result = ContinuityChecker.Check(input, book.Context, book.Settings);
        var review = await llm.ReviewAsync(transaction, request, number.Value, source, book, cancellationToken);
        IReadOnlyList<Violation> found = review is { } reviewed ? [.. result.Violations, .. reviewed.Findings] : result.Violations;
        var kept = found.Where(violation => !book.Waivers.Contains(violation.Fingerprint)).ToList();
        var passed = ContinuityChecker.Rules.Select(rule => rule.Id)
            .Where(rule => result.PassedRules.Contains(rule) || (result.Violations.Any(violation => violation.Rule == rule) && kept.All(violation => violation.Rule != rule)))
            .ToList();
        var run = new CheckRun(Guid.NewGuid(), request.ProjectId, request.ChapterId, number.Value, request.Ref, source.CommitId, review is null ? CheckType : CheckTypeWithLlm,
            request.Trigger, CheckStatuses.Of(kept), result.Words, kept, passed, found.Count - kept.Count, clock.GetUtcNow().UtcDateTime, review?.Check);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO check_runs (id, project_id, chapter_id, chapter_number, ref, commit_id, check_type, trigger, status, words, violations, passed_rules, waived, created_at, llm)
            VALUES (@Id, @ProjectId, @ChapterId, @ChapterNumber, @Ref, @Commit, @CheckType, @Trigger, @Status, @Words, @Violations::jsonb, @PassedRules::jsonb, @Waived, @CreatedAt,
                    @Llm::jsonb)
            """,
            new
            {
                run.Id, run.ProjectId, run.ChapterId, run.ChapterNumber, run.Ref, run.Commit, run.CheckType, run.Trigger, run.Status, run.Words,
                Violations = JsonSerializer.Serialize(run.Violations, ProjectionJson.Json), PassedRules = JsonSerializer.Serialize(run.PassedRules, ProjectionJson.Json),
                run.Waived, run.CreatedAt, Llm = run.Llm is null ? null : JsonSerializer.Serialize(run.Llm, ProjectionJson.Json),
            },
            transaction, cancellationToken: cancellationToken));

        var extraction = ChapterExtractor.Extract(input, book.Context.Book);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO extractions (project_id, chapter_id, chapter_number, commit_id, appearances, unknown_names, facts, dates, extracted_at)
            VALUES (@ProjectId, @ChapterId, @Number, @Commit, @Appearances::jsonb, @UnknownNames::jsonb, @Facts::jsonb, @Dates::jsonb, @At)
            ON CONFLICT (project_id, chapter_id) DO UPDATE
            SET chapter_number = excluded.chapter_number, commit_id = excluded.commit_id, appearances = excluded.appearances,
                unknown_names = excluded.unknown_names, facts = excluded.facts, dates = excluded.dates, extracted_at = excluded.extracted_at;
            DELETE FROM stale_chapters
            WHERE project_id = @ProjectId AND chapter_id = @ChapterId AND (@ClearsStaleUpTo::timestamptz IS NULL OR caused_at IS NULL OR caused_at <= @ClearsStaleUpTo);
            """,
            new
            {
                request.ProjectId, request.ChapterId, Number = number.Value, Commit = source.CommitId, At = run.CreatedAt, request.ClearsStaleUpTo,
                Appearances = JsonSerializer.Serialize(extraction.Appearances, ProjectionJson.Json),
                UnknownNames = JsonSerializer.Serialize(extraction.UnknownNames, ProjectionJson.Json),
                Facts = JsonSerializer.Serialize(extraction.Facts, ProjectionJson.Json),
                Dates = JsonSerializer.Serialize(extraction.Dates, ProjectionJson.Json),
            },
            transaction, cancellationToken: cancellationToken));

        await outbox.EnqueueAsync(transaction, new ContinuitySuggestionsExtracted(
            Guid.NewGuid(), request.CorrelationId, clock.GetUtcNow(), Actor.System("continuity"), request.ProjectId, request.ChapterId, number.Value, source.CommitId,
            extraction.Appearances.Select(appearance => new SuggestedAppearance(appearance.Character, appearance.Mentions, appearance.FirstLine)).ToList(),
            extraction.UnknownNames.Select(name => new SuggestedName(name.Name, name.Mentions, name.FirstLine, name.FirstText)).ToList(),
            extraction.Dates.Select(date => new SuggestedTimelineFact(date.Month + 1, date.Line, date.Text)).ToList()),
            request.ProjectId.ToString(), cancellationToken);
        return (CheckOutcome.Checked, run);
    }
}
