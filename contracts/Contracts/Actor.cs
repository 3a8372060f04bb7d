namespace Folio.Contracts;

/// <summary>Who caused a change: a user (<see cref="ActorKind.Human"/>), an AI agent, or the system itself.</summary>
public sealed record Actor(ActorKind Kind, string Id, string? DisplayName = null)
{
    public static Actor System(string component) => new(ActorKind.System, component, component);

    public static Actor User(Guid userId, string? displayName = null) => new(ActorKind.Human, userId.ToString(), displayName);

    public static Actor Agent(string agentName, string? model = null) => new(ActorKind.Agent, agentName, model is null ? agentName : $"{agentName} ({model})");
}
