using Folio.Contracts;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;

namespace Folio.Versioning.Api.Features.History;

/// <summary>
/// Who a write is attributed to. Omitted: the calling user. <c>agent</c>: an AI agent acting for the calling user
/// (the Generation service sends its agent, model and parameters).
/// </summary>
public sealed record AuthorInput(string? Kind, AgentInfo? Agent)
{
    public static (Author Author, Actor Actor) Resolve(AuthorInput? input, ICurrentUser user)
    {
        var userId = user.Id.ToString();
        switch (input?.Kind ?? Author.Human)
        {
            case Author.Human:
                return (new Author(Author.Human, userId, user.Email, null), Actor.User(user.Id, user.Email));
            case Author.AgentKind when input!.Agent is { Name.Length: > 0, Model.Length: > 0 } agent:
                return (new Author(Author.AgentKind, userId, user.Email, agent), new Actor(ActorKind.Agent, agent.Name, $"{agent.Name} ({agent.Model})"));
            case Author.AgentKind:
                throw ProblemException.BadRequest("An agent author needs agent.name and agent.model.");
            default:
                throw ProblemException.BadRequest("author.kind must be 'human' or 'agent'.");
        }
    }
}
