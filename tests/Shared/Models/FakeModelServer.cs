using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Folio.Tests.Models;

/// <param name="Delay">How long the model takes to answer.</param>
public sealed record ScriptedAnswer(int Status, string Body, string? RetryAfter = null, TimeSpan? Delay = null);

/// <summary>
/// A local server speaking the Anthropic Messages and OpenAI Chat Completions wire formats, answering from a script
/// (or, when started with an answer function, computing each answer from the request), so the real SDK clients are
/// exercised end to end with only the remote end replaced.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ScriptedAnswer> script = new();
    private readonly Func<JsonElement, ScriptedAnswer>? answerFor;

    private FakeModelServer(WebApplication app, Func<JsonElement, ScriptedAnswer>? answer) => (this.app, answerFor) = (app, answer);

    public ConcurrentQueue<(string Path, JsonElement Body, DateTimeOffset At)> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    /// <param name="answer">Computes the answer to a request's body; without it, answers come from <see cref="Then"/>'s script.</param>
    public static async Task<FakeModelServer> StartAsync(Func<JsonElement, ScriptedAnswer>? answer = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // A test project may hold a service's appsettings.json (Generation.Tests does); its Kestrel endpoints are not ours.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeModelServer(app, answer);
        app.MapPost("/v1/messages", server.AnswerAsync);
        app.MapPost("/v1/chat/completions", server.AnswerAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return server;
    }

    public FakeModelServer Then(ScriptedAnswer answer)
    {
        script.Enqueue(answer);
        return this;
    }

    public static string AnthropicAnswer(string text, string stopReason = "end_turn") => JsonSerializer.Serialize(new
    {
        id = "msg_01",
        type = "message",
        role = "assistant",
        model = "claude-test",
        content = new[] { new { type = "text", text } },
        stop_reason = stopReason,
        stop_sequence = (string?)null,
        usage = new { input_tokens = 120, output_tokens = 80 },
    });

    public static string OpenAiAnswer(string text, string finishReason = "stop") => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-1",
        @object = "chat.completion",
        created = 1_763_700_000,
        model = "gpt-test",
        choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = finishReason } },
        usage = new { prompt_tokens = 120, completion_tokens = 80, total_tokens = 200 },
    });

    private async Task AnswerAsync(HttpContext http)
    {
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        Requests.Enqueue((http.Request.Path, body.RootElement.Clone(), DateTimeOffset.UtcNow));
        var reply = answerFor?.Invoke(body.RootElement)
            ?? (script.TryDequeue(out var next) ? next : new ScriptedAnswer(500, """{"error":"script exhausted"}"""));
        if (reply.Delay is { } delay)
        {
            await Task.Delay(delay, http.RequestAborted);
        }

        http.Response.StatusCode = reply.Status;
        http.Response.ContentType = "application/json";
        if (reply.RetryAfter is not null)
        {
            http.Response.Headers.RetryAfter = reply.RetryAfter;
        }

        await http.Response.WriteAsync(reply.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
