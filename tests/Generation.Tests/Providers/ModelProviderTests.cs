using System.Diagnostics;
using System.Text.Json;
using Folio.Generation.Api.Features.Providers;
using Folio.Tests.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Folio.Generation.Tests.Providers;

/// <summary>The official Anthropic and OpenAI SDKs, for real, against a local server speaking their wire formats.</summary>
public sealed class ModelProviderTests : IAsyncLifetime
{
    private const int MaxRetries = 2;
    private static readonly string LongAnswer = string.Join(' ', Enumerable.Repeat("The lantern swung in the wind above the harbour wall.", 20));

    private FakeModelServer server = null!;
    private IHost host = null!;

    public static TheoryData<string> Providers => [AnthropicTextModel.Name, OpenAiCompatibleTextModel.Name];

    public async Task InitializeAsync()
    {
        server = await FakeModelServer.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llm:MaxRetries"] = MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Llm:BaseDelay"] = "00:00:00.050",
            ["Llm:MaxDelay"] = "00:00:05",
        });
        builder.AddModelProviders();
        host = builder.Build();
    }

    public async Task DisposeAsync()
    {
        host.Dispose();
        await server.DisposeAsync();
    }

    private ModelGateway Gateway => host.Services.GetRequiredService<ModelGateway>();

    private ModelSettings Settings(string provider) => new(
        provider, provider == AnthropicTextModel.Name ? "claude-test" : "gpt-test", 0.7, 1024,
        provider == AnthropicTextModel.Name ? server.BaseUrl : new Uri(server.BaseUrl, "v1"), "test-key");

    private static string Answer(string provider, string text, bool truncated = false) => provider == AnthropicTextModel.Name
        ? FakeModelServer.AnthropicAnswer(text, truncated ? "max_tokens" : "end_turn")
        : FakeModelServer.OpenAiAnswer(text, truncated ? "length" : "stop");

    private static readonly Prompt Ask = Prompt.Ask("You are a novelist.", "Write the opening of chapter one.");

    [Theory, MemberData(nameof(Providers))]
    public async Task A_normal_answer_comes_back_with_its_usage_and_the_request_carries_every_parameter(string provider)
    {
        server.Then(new ScriptedAnswer(200, Answer(provider, LongAnswer)));

        var completion = await Gateway.CompleteAsync(Ask, Settings(provider), minimumWords: 100, CancellationToken.None);

        completion.Text.Should().Be(LongAnswer);
        completion.Truncated.Should().BeFalse();
        (completion.InputTokens, completion.OutputTokens).Should().Be((120, 80));
        server.Requests.Should().ContainSingle();
        var request = server.Requests.Single();
        var body = request.Body;
        body.GetProperty("temperature").GetDouble().Should().BeApproximately(0.7, 0.001);
        if (provider == AnthropicTextModel.Name)
        {
            request.Path.Should().Be("/v1/messages");
            body.GetProperty("model").GetString().Should().Be("claude-test");
            body.GetProperty("max_tokens").GetInt32().Should().Be(1024);
            body.GetProperty("system").GetString().Should().Be("You are a novelist.");
            body.GetProperty("messages")[0].GetProperty("role").GetString().Should().Be("user");
        }
        else
        {
            request.Path.Should().Be("/v1/chat/completions");
            body.GetProperty("model").GetString().Should().Be("gpt-test");
            body.GetProperty("messages")[0].GetProperty("role").GetString().Should().Be("system");
            body.GetProperty("messages")[1].GetProperty("content").ToString().Should().Contain("chapter one");
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_truncated_answer_is_continued_and_never_returned_as_finished(string provider)
    {
        server.Then(new ScriptedAnswer(200, Answer(provider, "The lantern swung in the wind", truncated: true)))
              .Then(new ScriptedAnswer(200, Answer(provider, LongAnswer)));

        var completion = await Gateway.CompleteAsync(Ask, Settings(provider), minimumWords: 100, CancellationToken.None);

        completion.Truncated.Should().BeFalse();
        completion.Text.Should().StartWith("The lantern swung in the wind ").And.EndWith(LongAnswer);
        (completion.InputTokens, completion.OutputTokens).Should().Be((240, 160), "usage adds up over both calls");
        var continuation = server.Requests.Last().Body.GetProperty("messages");
        continuation.EnumerateArray().Select(message => message.GetProperty("role").GetString()).Should().EndWith(["assistant", "user"]);
        continuation.ToString().Should().Contain("Continue exactly where you stopped");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_answer_that_stays_truncated_fails_as_incomplete(string provider)
    {
        for (var i = 0; i < ModelGateway.MaxFreshAttempts * (ModelGateway.MaxContinuations + 1); i++)
        {
            server.Then(new ScriptedAnswer(200, Answer(provider, "Cut off", truncated: true)));
        }

        var call = () => Gateway.CompleteAsync(Ask, Settings(provider), minimumWords: 10, CancellationToken.None);

        (await call.Should().ThrowAsync<ProviderException>()).Which.Failure.Should().Be(ProviderFailure.Incomplete);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_answer_far_below_the_requested_length_is_asked_for_again(string provider)
    {
        server.Then(new ScriptedAnswer(200, Answer(provider, "Too short.")))
              .Then(new ScriptedAnswer(200, Answer(provider, LongAnswer)));

        var completion = await Gateway.CompleteAsync(Ask, Settings(provider), minimumWords: 150, CancellationToken.None);

        completion.Text.Should().Be(LongAnswer, "the short answer is discarded, not padded");
        server.Requests.Should().HaveCount(2);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Too_many_requests_waits_as_long_as_retry_after_says_then_succeeds(string provider)
    {
        server.Then(new ScriptedAnswer(429, """{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}""", RetryAfter: "1"))
              .Then(new ScriptedAnswer(200, Answer(provider, LongAnswer)));

        var stopwatch = Stopwatch.StartNew();
        var completion = await Gateway.CompleteAsync(Ask, Settings(provider), minimumWords: 100, CancellationToken.None);

        completion.Text.Should().Be(LongAnswer);
        var requests = server.Requests.ToArray();
        requests.Should().HaveCount(2);
        (requests[1].At - requests[0].At).Should().BeGreaterThan(TimeSpan.FromMilliseconds(900), "Retry-After: 1 is honoured");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_server_error_is_retried_and_a_lasting_one_fails_as_unavailable(string provider)
    {
        server.Then(new ScriptedAnswer(500, """{"error":"boom"}"""))
              .Then(new ScriptedAnswer(200, Answer(provider, LongAnswer)));
        (await Gateway.CompleteAsync(Ask, Settings(provider), minimumWords: 100, CancellationToken.None)).Text.Should().Be(LongAnswer);

        for (var i = 0; i <= MaxRetries; i++)
        {
            server.Then(new ScriptedAnswer(503, """{"error":"overloaded"}"""));
        }

        var before = server.Requests.Count;
        var call = () => Gateway.CompleteAsync(Ask, Settings(provider), minimumWords: 100, CancellationToken.None);
        (await call.Should().ThrowAsync<ProviderException>()).Which.Failure.Should().Be(ProviderFailure.Unavailable);
        (server.Requests.Count - before).Should().Be(MaxRetries + 1);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Malformed_json_fails_as_a_malformed_answer(string provider)
    {
        server.Then(new ScriptedAnswer(200, """{"id": "x", "content": [ {"type": "text", "text": "unterminated"""));

        var call = () => Gateway.CompleteAsync(Ask, Settings(provider), minimumWords: 10, CancellationToken.None);

        (await call.Should().ThrowAsync<ProviderException>()).Which.Failure.Should().Be(ProviderFailure.MalformedAnswer);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_refused_key_fails_at_once_without_retries(string provider)
    {
        server.Then(new ScriptedAnswer(401, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"""));

        var call = () => Gateway.CompleteAsync(Ask, Settings(provider), minimumWords: 10, CancellationToken.None);

        var failure = (await call.Should().ThrowAsync<ProviderException>()).Which;
        failure.Failure.Should().Be(ProviderFailure.Unauthorized);
        server.Requests.Should().ContainSingle();
    }

    [Fact]
    public void Retry_after_as_a_date_or_seconds_is_read_and_capped()
    {
        using var seconds = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        seconds.Headers.TryAddWithoutValidation("Retry-After", "7");
        LlmHttp.RetryAfter(seconds, TimeSpan.FromSeconds(60)).Should().Be(TimeSpan.FromSeconds(7));
        LlmHttp.RetryAfter(seconds, TimeSpan.FromSeconds(3)).Should().Be(TimeSpan.FromSeconds(3));

        using var date = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        date.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(30));
        LlmHttp.RetryAfter(date, TimeSpan.FromSeconds(60)).Should().BeCloseTo(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));

        using var none = new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError);
        LlmHttp.RetryAfter(none, TimeSpan.FromSeconds(60)).Should().BeNull();
    }
}
