namespace Folio.Contracts;

public enum ActorKind
{
    Human,
    Agent,
    System,
}
