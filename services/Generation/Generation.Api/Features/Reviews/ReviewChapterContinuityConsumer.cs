using Folio.Contracts;
using Folio.Contracts.Generation;
using Folio.Generation.Api.Features.Agents;
using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Api.Features.Settings;
using Folio.Generation.Core.Agents;
using MassTransit;

namespace Folio.Generation.Api.Features.Reviews;

/// <summary>
/// Continuity's LLM check: the continuity reviewer reads the chapter with the book's (or else its owner's) provider and the answer goes straight back
/// to the requester. The offline provider contributes nothing and says so; a provider failure or an answer that is not the JSON asked for
/// is answered as <c>failed: …</c>, never thrown, so Continuity can show it on the check run. The review changes nothing but the recorded
/// agent run, so there is no inbox: a redelivery asks the model again and the requester takes the first answer. The model call stops
/// when the request expires — nobody is waiting for it any more.
/// </summary>
public sealed class ReviewChapterContinuityConsumer(ModelSettingsResolver models, StoryAgents agents, TimeProvider clock) : IConsumer<ReviewChapterContinuity>
{
    public const string Completed = "completed";
    public const string SkippedOffline = "skipped: offline provider";

    public async Task Consume(ConsumeContext<ReviewChapterContinuity> context)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        if (context.ExpirationTime is { } expires)
        {
            deadline.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (expires - clock.GetUtcNow().UtcDateTime).Ticks)));
        }

        ChapterContinuityReviewed answer;
        try
        {
            answer = await ReviewAsync(context.Message, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            return;
        }

        await context.RespondAsync(answer);
    }

    private async Task<ChapterContinuityReviewed> ReviewAsync(ReviewChapterContinuity request, CancellationToken cancellationToken)
    {
        ModelSettings settings;
        try
        {
            settings = await models.ResolveAsync(request.OwnerId, request.ProjectId, null, null, cancellationToken);
        }
        catch (KeyNotFoundException exception)
        {
            return Answer(request, $"failed: {exception.Message}", "", "", []);
        }

        if (settings.Provider == ProviderCatalogue.Offline)
        {
            return Answer(request, SkippedOffline, settings.Provider, settings.Model, []);
        }

        try
        {
            var review = await agents.ReviewAsync(new AgentCall(request.OwnerId, request.ProjectId, null, settings), ToReviewRequest(request), cancellationToken);
            return Answer(request, Completed, settings.Provider, settings.Model, review.Findings.Select(finding => new ReviewFinding(
                finding.Rule, finding.Severity, finding.Line, finding.Quote, finding.Description, finding.Suggestion,
                finding.Evidence.Select(evidence => new ReviewEvidence(evidence.Chapter, evidence.Line, evidence.Text)).ToList())).ToList());
        }
        catch (ProviderException exception)
        {
            return Answer(request, $"failed: {exception.Message}", settings.Provider, settings.Model, []);
        }
    }

    private static ReviewRequest ToReviewRequest(ReviewChapterContinuity request) => new(
        request.ChapterNumber,
        request.ChapterText,
        request.Characters.Select(character => new StoryCharacter(character.Name, character.Aliases, null, null, character.Facts)).ToList(),
        request.EarlierPassages.Select(passage => new EarlierPassage(passage.Chapter, passage.Line, passage.Text)).ToList());

    private ChapterContinuityReviewed Answer(ReviewChapterContinuity request, string status, string provider, string model, IReadOnlyList<ReviewFinding> findings) =>
        new(Guid.NewGuid(), request.CorrelationId, clock.GetUtcNow(), Actor.System("generation"), request.ProjectId, request.ChapterId, status, provider, model, findings);
}
