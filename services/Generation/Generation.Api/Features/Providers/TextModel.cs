namespace Folio.Generation.Api.Features.Providers;

/// <summary>Which model to ask and how; the API key is decrypted only for the call.</summary>
public sealed record ModelSettings(string Provider, string Model, double Temperature, int MaxTokens, Uri? BaseUrl, string? ApiKey);

public enum TurnRole
{
    User,
    Assistant,
}

public sealed record Turn(TurnRole Role, string Text);

/// <summary>A system prompt and the conversation so far (the last turn is the user's ask, or an assistant prefix to continue).</summary>
public sealed record Prompt(string System, IReadOnlyList<Turn> Turns)
{
    public static Prompt Ask(string system, string user) => new(system, [new Turn(TurnRole.User, user)]);
}

/// <summary>A model's answer; <see cref="Truncated"/> when it stopped at the token limit rather than by finishing.</summary>
public sealed record Completion(string Text, bool Truncated, long InputTokens, long OutputTokens, string Model);

/// <summary>A chat model behind its official SDK (Anthropic Messages, OpenAI Chat Completions).</summary>
public interface ITextModel
{
    string Provider { get; }

    Task<Completion> CompleteAsync(Prompt prompt, ModelSettings settings, CancellationToken cancellationToken);
}

public enum ProviderFailure
{
    /// <summary>429 still answered after every retry.</summary>
    RateLimited,

    /// <summary>5xx or the network, after every retry.</summary>
    Unavailable,

    /// <summary>The key was refused (401/403): retrying cannot help.</summary>
    Unauthorized,

    /// <summary>The request was refused (400/404/422), e.g. an unknown model.</summary>
    Rejected,

    /// <summary>The answer could not be read (malformed JSON, no text).</summary>
    MalformedAnswer,

    /// <summary>Still truncated or far too short after continuations and fresh attempts.</summary>
    Incomplete,
}

public sealed class ProviderException(string provider, ProviderFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Provider { get; } = provider;

    public ProviderFailure Failure { get; } = failure;

    public static ProviderFailure FromStatus(int status) => status switch
    {
        429 => ProviderFailure.RateLimited,
        401 or 403 => ProviderFailure.Unauthorized,
        >= 500 => ProviderFailure.Unavailable,
        _ => ProviderFailure.Rejected,
    };
}
