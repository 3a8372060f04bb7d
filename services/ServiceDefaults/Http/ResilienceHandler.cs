using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Folio.ServiceDefaults.Http;

/// <summary>
/// Polly.Core around every HttpClient (Microsoft.Extensions.Http.Resilience does not restore here):
/// a total timeout, retries with jittered exponential backoff for idempotent requests only, a circuit breaker,
/// and a per-attempt timeout.
/// </summary>
internal sealed class ResilienceHandler(Func<Uri?, ResiliencePipeline<HttpResponseMessage>> pipelineFor) : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("folio.request");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = pipelineFor(request.RequestUri);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Handler.SendCoreAsync(state.Request, ctx.CancellationToken),
                context,
                (Handler: this, Request: request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    public static ResiliencePipeline<HttpResponseMessage> CreatePipeline() =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(TimeSpan.FromSeconds(30))
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsIdempotent(args.Context) && IsTransient(args.Outcome)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            })
            .AddTimeout(TimeSpan.FromSeconds(10))
            .Build();

    private static bool IsIdempotent(ResilienceContext context) =>
        context.Properties.TryGetValue(RequestKey, out var request) &&
        (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options ||
         request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete);

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests } => true,
        { Result.StatusCode: var status } when (int)status >= 500 => true,
        _ => false,
    };
}

/// <summary>One pipeline, and so one circuit breaker, per downstream host: one failing service must not cut off the others.</summary>
internal sealed class ResiliencePipelines(Func<ResiliencePipeline<HttpResponseMessage>> create)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> byAuthority = new(StringComparer.OrdinalIgnoreCase);

    public ResiliencePipeline<HttpResponseMessage> For(Uri? uri) => byAuthority.GetOrAdd(uri?.Authority ?? "", _ => create());
}

public static class ResilienceExtensions
{
    /// <summary>The service-to-service policy: short timeouts, retries for idempotent calls only.</summary>
    public static IHttpClientBuilder AddFolioResilience(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddSingleton(new ResiliencePipelines(ResilienceHandler.CreatePipeline));
        return builder.AddHttpMessageHandler(services => new ResilienceHandler(services.GetRequiredService<ResiliencePipelines>().For));
    }

    /// <summary>
    /// A named client for another Folio service's REST API at the address in configuration (e.g.
    /// <c>Services:Projects:Http</c>), with the service-to-service policy.
    /// </summary>
    public static IHttpClientBuilder AddServiceHttpClient(this IServiceCollection services, string name, string addressConfigurationKey) =>
        services.AddHttpClient(name, (provider, http) => http.BaseAddress = new Uri(
                provider.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()[addressConfigurationKey]
                    ?? throw new InvalidOperationException($"Configuration value '{addressConfigurationKey}' (REST address of '{name}') is missing.")))
            .AddFolioResilience();

    /// <summary>A policy of the client's own (e.g. long LLM calls), still one pipeline per downstream host.</summary>
    public static IHttpClientBuilder AddFolioResilience(this IHttpClientBuilder builder, Func<ResiliencePipeline<HttpResponseMessage>> createPipeline)
    {
        var pipelines = new ResiliencePipelines(createPipeline);
        return builder.AddHttpMessageHandler(() => new ResilienceHandler(pipelines.For));
    }
}
