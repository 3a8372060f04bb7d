using System.Net;
using Folio.ServiceDefaults.Http;
using Polly;
using Polly.Retry;

namespace Folio.Generation.Api.Features.Providers;

public sealed class LlmOptions
{
    public const string Section = "Llm";

    /// <summary>Retries of a 429, 5xx or network failure before the call fails.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>Backoff starts here when the server gives no Retry-After.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No wait is longer than this, whatever Retry-After says (the job step is retried later instead).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>One model call, a long chapter included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Calls in flight per provider from this process.</summary>
    public int MaxConcurrencyPerProvider { get; set; } = 4;

    /// <summary>USD per million tokens by model, from configuration (<c>Llm:Prices:{model}:Input</c> / <c>:Output</c>); an unknown model costs 0.</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Context window in tokens by model (<c>Llm:ContextWindows:{model}</c>); the writer's carried context is cut to fit it.</summary>
    public Dictionary<string, int> ContextWindows { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For a model not listed: small enough for any current model.</summary>
    public int DefaultContextWindow { get; set; } = 8192;

    public int ContextWindowOf(string model) => ContextWindows.TryGetValue(model, out var tokens) ? tokens : DefaultContextWindow;

    public decimal CostOf(string model, long inputTokens, long outputTokens) =>
        Prices.TryGetValue(model, out var price) ? Math.Round((inputTokens * price.Input + outputTokens * price.Output) / 1_000_000m, 6) : 0m;
}

public sealed class ModelPrice
{
    public decimal Input { get; set; }

    public decimal Output { get; set; }
}

/// <summary>
/// The HTTP client the SDKs use: 429 and 5xx (and network failures) are retried with backoff, waiting what the
/// server's Retry-After asks when it says; POSTs included, since a refused or failed model call did no work.
/// </summary>
public static class LlmHttp
{
    public const string ClientName = "llm";

    public static IHostApplicationBuilder AddLlmHttp(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddFolioResilience(() => CreatePipeline(options));
        return builder;
    }

    public static ResiliencePipeline<HttpResponseMessage> CreatePipeline(LlmOptions options) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 0) is var retries and > 0 ? retries : 1,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && IsRetryable(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxDelay)),
            })
            .AddTimeout(options.RequestTimeout)
            .Build();

    private static bool IsRetryable(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Result.StatusCode: HttpStatusCode.TooManyRequests } => true,
        { Result.StatusCode: var status } when (int)status >= 500 => true,
        _ => false,
    };

    /// <summary>The server's Retry-After (seconds or a date), capped; null lets the exponential backoff decide.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        var retryAfter = response?.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } delay ? TimeSpan.FromTicks(Math.Clamp(delay.Ticks, 0, cap.Ticks)) : null;
    }
}
