using Folio.Continuity.Core;

namespace Folio.Continuity.Tests.Rules;

/// <summary>A small invented book for rule tests: a lighthouse keeper, her brother, and a drowned captain.</summary>
public static class RuleTestBook
{
    public static readonly CharacterProfile Ellen = new("Ellen Marsh", ["Ellen", "Mrs. Marsh"],
    [
        new Fact("eye_colour", "grey"), new Fact("age", "34"), new Fact("height", "tall"),
        new Fact("hair_colour", "dark", UntilChapter: 2), new Fact("hair_colour", "red", FromChapter: 3),
        new Fact("relationship:Tom Marsh", "younger brother"),
    ]);

    public static readonly CharacterProfile Tom = new("Tom Marsh", ["Tom", "Mr. Marsh"], [new Fact("relationship:Ellen Marsh", "elder sister")]);

    public static readonly CharacterProfile Captain = new("Captain Hale", ["Hale"], [new Fact("status", "dead", FromChapter: 4)]);

    public static readonly CharacterProfile Ada = new("Ada Quill", ["Ada", "Miss Quill"], [new Fact("alias", "Mrs. Hale", FromChapter: 6)]);

    public static BookFacts Facts(StyleGuide? style = null) => new(
        [Ellen, Tom, Captain, Ada],
        [new TimelineEntry("The ship anchors", 2, "November 1911"), new TimelineEntry("The inquest", 6, "February 1912")],
        ["Skerry", "Kirkwall"],
        style ?? new StyleGuide(BannedPhrases: ["a testament to"]));

    public static CheckResult Check(string text, int chapter = 3, BookFacts? book = null, int? target = null, ChapterBrief? brief = null, CheckContext? context = null) =>
        ContinuityChecker.Check(new ChapterToCheck(chapter, text, target, brief), context ?? CheckContext.For(book ?? Facts()));

    public static IReadOnlyList<Violation> Of(this CheckResult result, string rule) => result.Violations.Where(violation => violation.Rule == rule).ToList();
}
