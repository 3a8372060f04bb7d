namespace Folio.Generation.Api.Features.Providers;

public sealed record ProviderDescription(string Id, string DisplayName, bool RequiresApiKey, string Description);

public static class ProviderCatalogue
{
    public const string Offline = "offline";

    public static readonly IReadOnlyList<ProviderDescription> All =
    [
        new(Offline, "Folio offline writer", false, "Deterministic writer that runs without a model or network; not an AI model."),
        new(AnthropicTextModel.Name, "Anthropic", true, "Claude models through the Anthropic Messages API."),
        new(OpenAiCompatibleTextModel.Name, "OpenAI-compatible", true, "OpenAI, or any server speaking its API: Ollama, vLLM, llama.cpp."),
    ];

    public static IEnumerable<string> Ids => All.Select(provider => provider.Id);

    public static bool IsKnown(string? id) => All.Any(provider => provider.Id == id);
}
