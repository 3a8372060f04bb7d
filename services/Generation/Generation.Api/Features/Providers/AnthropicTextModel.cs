using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;

namespace Folio.Generation.Api.Features.Providers;

/// <summary>Claude through the official Anthropic SDK (Messages API). Retries are Folio's (<see cref="LlmHttp"/>), not the SDK's.</summary>
public sealed class AnthropicTextModel(IHttpClientFactory httpClients, LlmOptions options) : ITextModel
{
    public const string Name = "anthropic";

    public string Provider => Name;

    public async Task<Completion> CompleteAsync(Prompt prompt, ModelSettings settings, CancellationToken cancellationToken)
    {
        using var client = new AnthropicClient(new ClientOptions
        {
            ApiKey = settings.ApiKey ?? throw new ProviderException(Name, ProviderFailure.Unauthorized, "Anthropic needs an API key: set one in your provider settings."),
            BaseUrl = (settings.BaseUrl ?? new Uri("https://api.anthropic.com")).ToString().TrimEnd('/'),
            HttpClient = httpClients.CreateClient(LlmHttp.ClientName),
            MaxRetries = 0,
            Timeout = options.RequestTimeout,
        });

        try
        {
            // This SDK version has no typed temperature; the Messages API still takes one, so it goes in the raw body.
            var parameters = new MessageCreateParams(
                new Dictionary<string, JsonElement>(),
                new Dictionary<string, JsonElement>(),
                new Dictionary<string, JsonElement> { ["temperature"] = JsonSerializer.SerializeToElement(settings.Temperature) })
            {
                Model = settings.Model,
                MaxTokens = settings.MaxTokens,
                System = prompt.System,
                Messages = prompt.Turns.Select(ToMessage).ToList(),
            };
            var message = await client.Messages.Create(parameters, cancellationToken);

            var text = new StringBuilder();
            foreach (var block in message.Content)
            {
                if (block.TryPickText(out var textBlock))
                {
                    text.Append(textBlock.Text);
                }
            }

            var stop = message.StopReason?.Raw();
            return new Completion(text.ToString(), stop == "max_tokens", message.Usage.InputTokens, message.Usage.OutputTokens, message.Model.Raw());
        }
        catch (AnthropicApiException exception)
        {
            throw new ProviderException(Name, ProviderException.FromStatus((int)exception.StatusCode), $"Anthropic answered {(int)exception.StatusCode}: {Shorten(exception.ResponseBody)}", exception);
        }
        catch (Exception exception) when (exception is AnthropicInvalidDataException or JsonException or InvalidOperationException)
        {
            throw new ProviderException(Name, ProviderFailure.MalformedAnswer, "Anthropic's answer could not be read.", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new ProviderException(Name, ProviderFailure.Unavailable, $"Anthropic could not be reached: {exception.Message}", exception);
        }
    }

    private static MessageParam ToMessage(Turn turn) => turn.Role == TurnRole.User
        ? new UserMessageParam(turn.Text)
        : new AssistantMessageParam { Content = turn.Text };

    private static string Shorten(string? body) => body is null ? "" : body.Length <= 300 ? body : body[..300];
}
