using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Folio.Generation.Api.Features.Providers;

/// <summary>
/// Any server speaking OpenAI's Chat Completions (OpenAI, Ollama, vLLM, llama.cpp) through the official OpenAI SDK.
/// Retries are Folio's (<see cref="LlmHttp"/>), not the SDK's.
/// </summary>
public sealed class OpenAiCompatibleTextModel(IHttpClientFactory httpClients, LlmOptions options) : ITextModel
{
    public const string Name = "openai-compatible";

    public string Provider => Name;

    public async Task<Completion> CompleteAsync(Prompt prompt, ModelSettings settings, CancellationToken cancellationToken)
    {
        var client = new ChatClient(settings.Model, new ApiKeyCredential(settings.ApiKey ?? "no-key"), new OpenAIClientOptions
        {
            Endpoint = settings.BaseUrl ?? new Uri("https://api.openai.com/v1"),
            Transport = new HttpClientPipelineTransport(httpClients.CreateClient(LlmHttp.ClientName)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.RequestTimeout,
        });

        var messages = new List<ChatMessage> { new SystemChatMessage(prompt.System) };
        messages.AddRange(prompt.Turns.Select(turn => turn.Role == TurnRole.User ? (ChatMessage)new UserChatMessage(turn.Text) : new AssistantChatMessage(turn.Text)));
        try
        {
            ChatCompletion completion = await client.CompleteChatAsync(messages, new ChatCompletionOptions
            {
                Temperature = (float)settings.Temperature,
                MaxOutputTokenCount = settings.MaxTokens,
            }, cancellationToken);

            var text = string.Concat(completion.Content.Where(part => part.Kind == ChatMessageContentPartKind.Text).Select(part => part.Text));
            return new Completion(text, completion.FinishReason == ChatFinishReason.Length,
                completion.Usage?.InputTokenCount ?? 0, completion.Usage?.OutputTokenCount ?? 0, completion.Model ?? settings.Model);
        }
        catch (ClientResultException exception) when (exception.Status > 0)
        {
            throw new ProviderException(Name, ProviderException.FromStatus(exception.Status), $"The model server answered {exception.Status}: {exception.Message}", exception);
        }
        catch (ClientResultException exception)
        {
            throw new ProviderException(Name, ProviderFailure.Unavailable, $"The model server could not be reached: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ProviderException(Name, ProviderFailure.MalformedAnswer, "The model server's answer could not be read.", exception);
        }
    }
}
