using System.Collections.Concurrent;

namespace Folio.Generation.Api.Features.Providers;

/// <summary>
/// The one way agents call a real model: a per-provider concurrency limit, and answers held to the length asked —
/// a truncated answer is continued, one far below the requested length is asked for again, and if neither yields
/// a complete answer the call fails (<see cref="ProviderFailure.Incomplete"/>): it is never passed on as finished.
/// </summary>
public sealed class ModelGateway(IEnumerable<ITextModel> models, LlmOptions options)
{
    public const int MaxContinuations = 2;
    public const int MaxFreshAttempts = 3;

    /// <summary>Below this share of the words asked for, an answer is "far below the requested length".</summary>
    public const double MinimumLengthShare = 0.7;

    public const string ContinueInstruction = "Continue exactly where you stopped. Do not repeat anything you already wrote and do not add any preamble.";

    private readonly Dictionary<string, ITextModel> byProvider = models.ToDictionary(model => model.Provider, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    public async Task<Completion> CompleteAsync(Prompt prompt, ModelSettings settings, int minimumWords, CancellationToken cancellationToken)
    {
        var model = byProvider.GetValueOrDefault(settings.Provider)
            ?? throw new ProviderException(settings.Provider, ProviderFailure.Rejected, $"'{settings.Provider}' is not a model provider Folio knows.");
        long inputTokens = 0, outputTokens = 0;
        string? shortfall = null;
        for (var attempt = 1; attempt <= MaxFreshAttempts; attempt++)
        {
            var answer = await CallAsync(model, prompt, settings, cancellationToken);
            inputTokens += answer.InputTokens;
            outputTokens += answer.OutputTokens;
            var text = answer.Text;
            for (var continuation = 0; answer.Truncated && continuation < MaxContinuations; continuation++)
            {
                answer = await CallAsync(model, prompt with
                {
                    Turns = [.. prompt.Turns, new Turn(TurnRole.Assistant, text), new Turn(TurnRole.User, ContinueInstruction)],
                }, settings, cancellationToken);
                inputTokens += answer.InputTokens;
                outputTokens += answer.OutputTokens;
                text = Join(text, answer.Text);
            }

            var words = CountWords(text);
            if (answer.Truncated)
            {
                shortfall = $"still cut off at the token limit after {MaxContinuations} continuations";
            }
            else if (words < minimumWords * MinimumLengthShare)
            {
                shortfall = $"{words} words where at least {minimumWords} were asked for";
            }
            else
            {
                return new Completion(text, false, inputTokens, outputTokens, answer.Model);
            }
        }

        throw new ProviderException(model.Provider, ProviderFailure.Incomplete,
            $"No complete answer after {MaxFreshAttempts} attempts: {shortfall}.");
    }

    private async Task<Completion> CallAsync(ITextModel model, Prompt prompt, ModelSettings settings, CancellationToken cancellationToken)
    {
        var gate = gates.GetOrAdd(model.Provider, _ => new SemaphoreSlim(Math.Max(1, options.MaxConcurrencyPerProvider)));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await model.CompleteAsync(prompt, settings, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A continuation picks up mid-sentence or at a new paragraph; keep exactly one separator between the parts.</summary>
    private static string Join(string first, string second) =>
        first.Length == 0 || second.Length == 0 || char.IsWhiteSpace(first[^1]) || char.IsWhiteSpace(second[0]) ? first + second : first + " " + second;

    private static int CountWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(token => token.Any(char.IsLetterOrDigit));
}
