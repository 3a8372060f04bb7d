namespace Folio.Continuity.Core;

/// <summary>One structured fact, valid from chapter <see cref="FromChapter"/> to <see cref="UntilChapter"/> (open when null).</summary>
public sealed record Fact(string Key, string Value, int? FromChapter = null, int? UntilChapter = null)
{
    public bool ValidAt(int chapter) => (FromChapter ?? 1) <= chapter && chapter <= (UntilChapter ?? int.MaxValue);
}

/// <summary>A character of the book's bible. Facts with key <c>alias</c> are names valid only for their chapters (a married name).</summary>
public sealed record CharacterProfile(string Name, IReadOnlyList<string> Aliases, IReadOnlyList<Fact> Facts);

/// <summary>A timeline event; <see cref="StoryTime"/> or <see cref="SortKey"/> may carry a month, season or date.</summary>
public sealed record TimelineEntry(string Description, int? ChapterNumber, string? StoryTime, string? SortKey = null);

/// <summary>The book's style: point of view and tense the narration keeps, phrases the writer bans, and thresholds.</summary>
public sealed record StyleGuide(
    string? PointOfView = "third",
    string? Tense = "past",
    IReadOnlyList<string>? BannedPhrases = null,
    int RepetitionThreshold = 3,
    double LengthTolerance = 0.5);

public sealed record ChapterBrief(IReadOnlyList<string> Beats, string? PointOfView = null);

/// <summary>What the book knows independently of any one chapter's text.</summary>
public sealed record BookFacts(
    IReadOnlyList<CharacterProfile> Characters,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<string> PlaceNames,
    StyleGuide Style)
{
    public static BookFacts Empty { get; } = new([], [], [], new StyleGuide());
}

public sealed record ChapterToCheck(int Number, string Text, int? TargetLength = null, ChapterBrief? Brief = null);

/// <summary>An attribute an earlier chapter stated about a character (extracted from its text).</summary>
public sealed record EstablishedFact(string Character, string Key, string Value, int Chapter, int Line, string Text);

/// <summary>An explicit statement of the story's current month in an earlier chapter.</summary>
public sealed record DatedStatement(int Chapter, int Line, string Text, int Month);

/// <summary>Everything a check needs besides the chapter: the bible and what earlier chapters established.</summary>
public sealed record CheckContext(BookFacts Book, IReadOnlyList<EstablishedFact> Earlier, IReadOnlyList<DatedStatement> EarlierDates)
{
    public static CheckContext For(BookFacts book) => new(book, [], []);
}

public sealed record Location(int Line, string Text);

/// <summary>What a violation contradicts: a passage of a chapter, or (chapter null, line 0) a fact of the bible, brief or style.</summary>
public sealed record Evidence(int? Chapter, int Line, string Text);

public sealed record Violation(
    string Rule, string Severity, Location Location, string Description, string? Suggestion, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>Identifies the flagged passage for waivers: the same rule on the same sentence, whatever its line number.</summary>
    public string Fingerprint => Fingerprints.Of(Rule, Location.Text);
}

public sealed record CheckResult(string Status, IReadOnlyList<Violation> Violations, IReadOnlyList<string> PassedRules, int Words);

public static class Severities
{
    public const string Error = "error";
    public const string Warning = "warning";
    public const string Info = "info";

    public static readonly IReadOnlyList<string> All = [Error, Warning, Info];
}

public static class CheckStatuses
{
    public const string Pass = "pass";
    public const string Warning = "warning";
    public const string Error = "error";

    public static string Of(IEnumerable<Violation> violations)
    {
        var severities = violations.Select(violation => violation.Severity).ToHashSet();
        return severities.Contains(Severities.Error) ? Error : severities.Contains(Severities.Warning) ? Warning : Pass;
    }
}
