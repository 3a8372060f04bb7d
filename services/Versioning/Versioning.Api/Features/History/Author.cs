using System.Text.Json;

namespace Folio.Versioning.Api.Features.History;

/// <summary>An AI agent's part in a change: which agent, which model with which parameters, how sure it was.</summary>
public sealed record AgentInfo(string Name, string Model, IReadOnlyDictionary<string, JsonElement>? Parameters, double? Confidence);

/// <summary>Who made a commit: <c>human</c> (a user), <c>agent</c> (with <see cref="Agent"/>) or <c>system</c>.</summary>
public sealed record Author(string Kind, string Id, string? Name, AgentInfo? Agent)
{
    public const string Human = "human";
    public const string AgentKind = "agent";
    public const string System = "system";
}
