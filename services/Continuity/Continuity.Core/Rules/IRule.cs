using Folio.Continuity.Core.Text;

namespace Folio.Continuity.Core.Rules;

/// <summary>What every rule sees: the chapter parsed once, the names valid at it, and the book's context.</summary>
public sealed class RuleInput(ChapterToCheck chapter, CheckContext context)
{
    public ChapterToCheck Chapter { get; } = chapter;

    public CheckContext Context { get; } = context;

    public ChapterText Text { get; } = ChapterText.Parse(chapter.Text);

    public NameIndex Names { get; } = new(context.Book.Characters, chapter.Number, context.Book.PlaceNames);

    public StyleGuide Style => Context.Book.Style;
}

public interface IRule
{
    string Id { get; }

    string DefaultSeverity { get; }

    string Description { get; }

    IEnumerable<Violation> Check(RuleInput input, string severity);
}

internal static class FactEvidence
{
    public static Evidence Of(CharacterProfile character, Fact fact) =>
        new(fact.FromChapter, 0, $"{character.Name}: {fact.Key} = {fact.Value}{Range(fact)} (bible)");

    private static string Range(Fact fact) => (fact.FromChapter, fact.UntilChapter) switch
    {
        (null, null) => "",
        ({ } from, null) => $" from chapter {from}",
        (null, { } until) => $" until chapter {until}",
        ({ } from, { } until) => $" in chapters {from}–{until}",
    };
}
