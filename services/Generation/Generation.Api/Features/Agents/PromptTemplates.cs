using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Folio.Generation.Api.Features.Providers;

namespace Folio.Generation.Api.Features.Agents;

/// <summary>A prompt as sent, and the SHA-256 of its text, which agent runs record so a result can be traced to its exact prompt.</summary>
public sealed record RenderedPrompt(Prompt Prompt, string Hash);

/// <summary>
/// The agents' prompts, kept as files (<c>Features/Agents/Prompts/{agent}.md</c>, system part, then <c>=== user ===</c>,
/// then the user part) with <c>{{name}}</c> slots. A slot without a value is an error, never sent as-is.
/// </summary>
public sealed partial class PromptTemplates
{
    private const string Separator = "=== user ===";

    private readonly Dictionary<string, (string System, string User)> templates = typeof(PromptTemplates).Assembly.GetManifestResourceNames()
        .Where(name => name.Contains(".Features.Agents.Prompts.", StringComparison.Ordinal) && name.EndsWith(".md", StringComparison.Ordinal))
        .ToDictionary(name => name.Split('.')[^2], Load, StringComparer.Ordinal);

    public RenderedPrompt Render(string agent, IReadOnlyDictionary<string, string> values)
    {
        var (system, user) = templates.TryGetValue(agent, out var template)
            ? template
            : throw new KeyNotFoundException($"There is no prompt file for the '{agent}' agent.");
        var prompt = Prompt.Ask(Fill(agent, system, values), Fill(agent, user, values));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt.System + "\n" + Separator + "\n" + prompt.Turns[0].Text)));
        return new RenderedPrompt(prompt, hash);
    }

    private static string Fill(string agent, string template, IReadOnlyDictionary<string, string> values) =>
        Slot().Replace(template, match => values.TryGetValue(match.Groups["name"].Value, out var value)
            ? value
            : throw new KeyNotFoundException($"The {agent} prompt needs a value for {{{{{match.Groups["name"].Value}}}}}."));

    private static (string System, string User) Load(string resource)
    {
        using var stream = typeof(PromptTemplates).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf(Separator, StringComparison.Ordinal);
        return split < 0
            ? throw new InvalidDataException($"Prompt {resource} has no '{Separator}' line between its system and user parts.")
            : (text[..split].Trim(), text[(split + Separator.Length)..].Trim());
    }

    [GeneratedRegex(@"\{\{(?<name>[A-Za-z]+)\}\}")]
    private static partial Regex Slot();
}
