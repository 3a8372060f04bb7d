using Dapper;
using Folio.Continuity.Api.Features.Checks;
using Folio.Continuity.Api.Features.Sources;
using Folio.Continuity.Core;
using Folio.Contracts.Generation;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Folio.Continuity.Api.Features.Llm;

/// <summary>How the LLM part of a check went, shown on the check run: <c>completed</c>, <c>skipped: …</c>, <c>failed: …</c> or <c>timed out …</c>.</summary>
public sealed record LlmCheck(string Status, string? Provider, string? Model, int Findings, int Dropped);

/// <summary>Section <c>LlmChecks</c>.</summary>
public sealed class LlmCheckOptions
{
    public const string Section = "LlmChecks";

    /// <summary>How long a check waits for Generation's review; below the saga's 60 s wait for Continuity's answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(40);
}

/// <summary>
/// When the book has LLM checks on, asks Generation's continuity reviewer (request/response over RabbitMQ) to read the chapter with the
/// owner's provider, and keeps only the findings <see cref="LlmFindings"/> accepts. Whatever happens there — a skip, a failure, no answer
/// in time — the LLM part reports it and the rule findings stand. Only the checks someone waits for — a writer's request and the
/// generation saga's — ask: one commit can make 20 chapters stale, and a review of up to 40 s for each would hold a re-check pass,
/// or a request to re-check the debt, for minutes.
/// </summary>
public sealed class LlmReviewer(IBus bus, IOptions<LlmCheckOptions> options, TimeProvider clock)
{
    /// <summary>The newest earlier passages sent as possible evidence; a long book's oldest fall away rather than swell the request.</summary>
    private const int MaxEarlierPassages = 300;

    private sealed record ProjectRow(Guid OwnerId, bool LlmChecks);

    /// <returns>Null when the book has LLM checks off, or the check is a re-check.</returns>
    public async Task<(LlmCheck Check, IReadOnlyList<Violation> Findings)?> ReviewAsync(
        NpgsqlTransaction transaction, CheckRequest request, int chapterNumber, ChapterSource source, BookContext book, CancellationToken cancellationToken)
    {
        if (request.Trigger is not (CheckTriggers.Request or CheckTriggers.Saga))
        {
            return null;
        }

        var project = await transaction.Connection!.QuerySingleAsync<ProjectRow>(new CommandDefinition(
            "SELECT owner_id AS OwnerId, llm_checks AS LlmChecks FROM projects WHERE project_id = @ProjectId",
            new { request.ProjectId }, transaction, cancellationToken: cancellationToken));
        if (!project.LlmChecks)
        {
            return null;
        }

        var timeout = options.Value.Timeout;
        var client = bus.CreateRequestClient<ReviewChapterContinuity>(RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
        try
        {
            var response = await client.GetResponse<ChapterContinuityReviewed>(
                Request(request, project.OwnerId, chapterNumber, source, book.Context), cancellationToken);
            var answer = response.Message;
            var (accepted, dropped) = LlmFindings.Accept(source.Text, chapterNumber, answer.Findings.Select(finding => new LlmFinding(
                finding.Rule, finding.Severity, finding.Line, finding.Quote, finding.Description, finding.Suggestion,
                finding.Evidence.Select(evidence => new Evidence(evidence.Chapter, evidence.Line ?? 0, evidence.Text)).ToList())).ToList());
            return (new LlmCheck(answer.Status, answer.Provider, answer.Model, accepted.Count, dropped), accepted);
        }
        catch (RequestTimeoutException)
        {
            return (new LlmCheck($"timed out: no review within {timeout.TotalSeconds:0.#} s", null, null, 0, 0), []);
        }
        catch (RequestFaultException exception)
        {
            return (new LlmCheck($"failed: {exception.Fault?.Exceptions.FirstOrDefault()?.Message ?? exception.Message}", null, null, 0, 0), []);
        }
    }

    private ReviewChapterContinuity Request(CheckRequest request, Guid ownerId, int chapterNumber, ChapterSource source, CheckContext context) => new(
        Guid.NewGuid(), request.CorrelationId, clock.GetUtcNow(), request.Actor, ownerId, request.ProjectId, request.ChapterId, chapterNumber,
        source.CommitId, source.Text,
        context.Book.Characters.Select(character => new ReviewCharacter(character.Name, character.Aliases,
            character.Facts.Where(fact => fact.ValidAt(chapterNumber)).GroupBy(fact => fact.Key).ToDictionary(facts => facts.Key, facts => facts.Last().Value))).ToList(),
        context.Earlier.Select(fact => new ReviewPassage(fact.Chapter, fact.Line, fact.Text))
            .Concat(context.EarlierDates.Select(date => new ReviewPassage(date.Chapter, date.Line, date.Text)))
            .DistinctBy(passage => (passage.Chapter, passage.Line))
            .OrderBy(passage => passage.Chapter).ThenBy(passage => passage.Line)
            .TakeLast(MaxEarlierPassages).ToList());
}
