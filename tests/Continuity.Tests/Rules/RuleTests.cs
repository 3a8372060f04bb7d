using Folio.Continuity.Core;
using static Folio.Continuity.Tests.Rules.RuleTestBook;

namespace Folio.Continuity.Tests.Rules;

public sealed class FactContradictionTests
{
    private const string Rule = "character.fact_contradiction";

    [Theory]
    [InlineData("Ellen's blue eyes searched the horizon.", "eye colour")]
    [InlineData("Ellen, whose green eyes were tired, climbed the stair.", "eye colour")]
    [InlineData("Ellen, a woman of fifty, climbed the stair.", "age")]
    [InlineData("Ellen was short, and the lamp was high.", "height")]
    [InlineData("Ellen's golden hair blew in the wind.", "hair colour")]
    public void A_stated_attribute_that_contradicts_the_bible_is_an_error_with_the_fact_as_evidence(string sentence, string what)
    {
        var result = Check($"The wind rose.\n\n{sentence}");

        var violation = result.Of(Rule).Should().ContainSingle().Subject;
        violation.Severity.Should().Be("error");
        violation.Location.Line.Should().Be(3);
        violation.Location.Text.Should().Be(sentence);
        violation.Description.Should().Contain(what);
        violation.Evidence.Should().ContainSingle().Which.Text.Should().StartWith("Ellen Marsh:");
        result.Status.Should().Be("error");
    }

    [Theory]
    [InlineData("Ellen's grey eyes searched the horizon.")]
    [InlineData("Ellen, a woman of thirty-five, climbed the stair.")]
    [InlineData("Ellen was not yet forty.")]
    [InlineData("Ellen's red hair blew in the wind.")]
    [InlineData("Ellen was tall enough to reach the lamp.")]
    [InlineData("Tom's blue eyes searched the horizon.")]
    public void Agreeing_or_unknown_attributes_pass(string sentence) =>
        Check(sentence).Of(Rule).Should().BeEmpty();

    [Fact]
    public void Facts_apply_only_to_their_chapters()
    {
        Check("Ellen's dark hair blew in the wind.", chapter: 2).Of(Rule).Should().BeEmpty();
        Check("Ellen's dark hair blew in the wind.", chapter: 3).Of(Rule).Should().ContainSingle().Which.Evidence[0].Text.Should().Contain("from chapter 3");
    }

    [Fact]
    public void Without_a_bible_fact_an_earlier_chapter_is_the_evidence()
    {
        var context = new CheckContext(Facts(), [new EstablishedFact("Tom Marsh", "eye_colour", "blue", 1, 7, "Tom's blue eyes were laughing.")], []);

        var violation = Check("Tom's brown eyes were laughing.", chapter: 3, context: context).Of(Rule).Should().ContainSingle().Subject;

        violation.Evidence.Should().ContainSingle().Which.Should().Be(new Evidence(1, 7, "Tom's blue eyes were laughing."));
        Check("Tom's blue eyes were laughing.", chapter: 3, context: context).Of(Rule).Should().BeEmpty();
    }

    [Fact]
    public void A_wrong_relationship_or_title_contradicts_the_bible()
    {
        Check("Ellen's cousin Tom rowed out.").Of(Rule).Should().ContainSingle().Which.Description.Should().Contain("younger brother");
        Check("Ellen's brother Tom rowed out.").Of(Rule).Should().BeEmpty();
        Check("Captain Marsh rowed out.").Of(Rule).Should().ContainSingle().Which.Description.Should().Contain("Mrs. Marsh");
        Check("Mr. Marsh rowed out.").Of(Rule).Should().BeEmpty();
    }

    [Fact]
    public void A_married_name_before_the_wedding_is_flagged_and_accepted_after_it()
    {
        Check("Mrs. Hale lit the lamp.", chapter: 3).Of(Rule).Should().ContainSingle().Which.Evidence[0].Text.Should().Contain("alias = Mrs. Hale from chapter 6");
        Check("Mrs. Hale lit the lamp.", chapter: 6).Of(Rule).Should().BeEmpty();
    }
}

public sealed class UnknownNameTests
{
    private const string Rule = "character.unknown_name";

    [Theory]
    [InlineData("Elen climbed the stair.", "Ellen")]
    [InlineData("The boat took Marhs away.", "Marsh")]
    public void A_name_one_edit_from_a_known_name_is_a_likely_misspelling(string text, string meant)
    {
        var violation = Check(text).Of(Rule).Should().ContainSingle().Subject;
        violation.Severity.Should().Be("warning");
        violation.Suggestion.Should().Contain(meant);
        violation.Evidence.Should().ContainSingle().Which.Text.Should().Contain(meant);
    }

    [Theory]
    [InlineData("Ellen climbed the stair to the Skerry light.")]
    [InlineData("The Marshes had kept the light for years. Ella, a stranger, waved.")]
    [InlineData("Toms of the world, said the sailor.")]
    public void Known_names_plurals_places_and_distant_words_pass(string text) =>
        Check(text).Of(Rule).Should().BeEmpty();

    [Fact]
    public void A_word_the_chapter_also_uses_in_lower_case_is_not_a_name() =>
        Check("Hal said the hale old man.").Of(Rule).Should().BeEmpty();
}

public sealed class DeadAppearsTests
{
    private const string Rule = "character.dead_appears";

    [Theory]
    [InlineData("Captain Hale walked along the quay.")]
    [InlineData("“Hold fast,” said Captain Hale.")]
    [InlineData("Hale waved from the landing stage.")]
    public void A_dead_character_acting_after_the_death_is_an_error(string sentence)
    {
        var violation = Check(sentence, chapter: 5).Of(Rule).Should().ContainSingle().Subject;
        violation.Evidence.Should().ContainSingle().Which.Text.Should().Contain("status = dead from chapter 4");
    }

    [Theory]
    [InlineData("Captain Hale walked along the quay.", 3)]
    [InlineData("She thought of the late Captain Hale and wept.", 5)]
    [InlineData("Captain Hale's boots stood by the door.", 5)]
    public void Acting_before_the_death_or_being_remembered_passes(string sentence, int chapter) =>
        Check(sentence, chapter).Of(Rule).Should().BeEmpty();
}

public sealed class TimelineOrderTests
{
    private const string Rule = "timeline.order";

    [Fact]
    public void A_month_outside_the_timeline_window_is_an_error_citing_the_anchors()
    {
        var violation = Check("It was now the middle of June.", chapter: 4).Of(Rule).Should().ContainSingle().Subject;
        violation.Description.Should().Be("The narration places chapter 4 in June, but the story is in November–February here.");
        violation.Evidence.Select(evidence => evidence.Text).Should().Contain(text => text.Contains("The ship anchors")).And.Contain(text => text.Contains("The inquest"));
    }

    [Theory]
    [InlineData("It was now the middle of December.")]
    [InlineData("It was winter, and the lamp burned all day.")]
    [InlineData("She had hoped to leave in June.")]
    public void Months_inside_the_window_and_mere_mentions_pass(string text) =>
        Check(text, chapter: 4).Of(Rule).Should().BeEmpty();

    [Fact]
    public void An_earlier_chapter_s_dated_narration_is_an_anchor_too()
    {
        var context = new CheckContext(Facts(), [], [new DatedStatement(7, 3, "It was now March.", 2)]);
        Check("It was now the end of January.", chapter: 8, context: context).Of(Rule).Should().ContainSingle()
            .Which.Evidence.Should().Contain(new Evidence(7, 3, "It was now March."));
        Check("It was now April.", chapter: 8, context: context).Of(Rule).Should().BeEmpty();
    }
}

public sealed class PovAndTenseTests
{
    [Fact]
    public void First_person_narration_in_a_third_person_book_is_a_pov_shift_but_dialogue_is_not()
    {
        Check("Ellen climbed. I watched her, and my heart sank.").Of("pov.shift").Should().ContainSingle();
        Check("“I watched her, and my heart sank,” said Ellen.").Of("pov.shift").Should().BeEmpty();
    }

    [Fact]
    public void The_brief_s_point_of_view_wins_over_the_style()
    {
        var narration = string.Join(" ", Enumerable.Repeat("Ellen climbed the stair and trimmed the wick while the gale blew outside.", 20));
        Check(narration, brief: new ChapterBrief([], "first person, Ellen")).Of("pov.shift").Should().ContainSingle()
            .Which.Evidence[0].Text.Should().Contain("Brief");
        Check("I climbed the stair. I trimmed my wick.", brief: new ChapterBrief([], "first person")).Of("pov.shift").Should().BeEmpty();
    }

    [Fact]
    public void Present_tense_narration_in_a_past_tense_book_is_a_tense_shift()
    {
        Check("Ellen climbs the stair. She looks out. She sees the ship, and she turns away.").Of("tense.shift").Should().ContainSingle();
        Check("Ellen climbed the stair. She looked out. She saw the ship, and she turned away.").Of("tense.shift").Should().BeEmpty();
        Check("“She is here, she has come, she looks well,” said Tom.").Of("tense.shift").Should().BeEmpty();
    }

    [Fact]
    public void A_present_tense_book_flags_past_tense_narration()
    {
        var book = Facts(new StyleGuide(Tense: "present"));
        Check("Ellen climbed the stair. She looked out. She saw the ship, and she turned away.", book: book).Of("tense.shift").Should().ContainSingle();
        Check("Ellen climbs the stair. She looks out. She sees the ship, and she turns away.", book: book).Of("tense.shift").Should().BeEmpty();
    }
}

public sealed class RepetitionTests
{
    private const string Rule = "style.repetition";

    [Fact]
    public void A_banned_phrase_is_reported_with_the_style_as_evidence()
    {
        var violation = Check("The lamp was a Testament to her care.").Of(Rule).Should().ContainSingle().Subject;
        violation.Evidence[0].Text.Should().Be("Style: banned phrase \"a testament to\"");
    }

    [Fact]
    public void A_phrase_repeated_to_the_threshold_is_reported_once_with_the_earlier_uses()
    {
        const string phrase = "the grey sea swallowed the light";
        var text = $"At dawn {phrase}.\n\nEllen waited.\n\nAt noon {phrase}.\n\nTom rowed.\n\nAt dusk {phrase} again.";

        var violation = Check(text).Of(Rule).Should().ContainSingle().Subject;

        violation.Location.Line.Should().Be(9);
        violation.Evidence.Select(evidence => evidence.Line).Should().Equal(1, 5);
    }

    [Fact]
    public void Twice_is_not_too_often_and_function_words_do_not_count()
    {
        Check("At dawn the grey sea swallowed the light. At noon the grey sea swallowed the light.").Of(Rule).Should().BeEmpty();
        Check("It was as if it was. It was as if it was. It was as if it was.").Of(Rule).Should().BeEmpty();
    }

    [Fact]
    public void Words_that_only_meet_across_a_sentence_end_are_no_phrase_but_mr_does_not_end_one()
    {
        Check("Ellen rowed the long way home. Tom slept on deck.\n\nMara walked the long way home. Tom slept on deck.\n\nHis sister ran the long way home. Tom slept on deck.")
            .Of(Rule).Should().BeEmpty("\"way home tom slept on\" is the end of one sentence and the start of the next");
        Check("Then Ellen saw Mr. Bennet nod twice. Later Tom saw Mr. Bennet nod twice. At last Mara saw Mr. Bennet nod twice.")
            .Of(Rule).Should().ContainSingle("\"saw Mr. Bennet nod twice\" is one phrase: \"Mr.\" does not end a sentence");
    }
}

public sealed class LengthAndBriefTests
{
    [Fact]
    public void A_chapter_far_from_its_target_is_reported()
    {
        var text = string.Join(" ", Enumerable.Repeat("word", 400));
        Check(text, target: 1000).Of("length.target").Should().ContainSingle().Which.Evidence[0].Text.Should().Contain("1,000");
        Check(text, target: 500).Of("length.target").Should().BeEmpty();
        Check(text).Of("length.target").Should().BeEmpty();
    }

    [Fact]
    public void A_beat_not_covered_by_the_text_is_an_error_and_a_covered_one_passes()
    {
        var brief = new ChapterBrief(["Ellen lights the lamp", "The nameless ship anchors off the Skerry"]);
        var result = Check("Ellen climbed the tower and lit the great lamp.\n\nThe night was calm.", brief: brief);

        var violation = result.Of("brief.beat_missing").Should().ContainSingle().Subject;
        violation.Description.Should().Contain("Beat 2");
        violation.Evidence[0].Text.Should().Be("Brief beat 2: The nameless ship anchors off the Skerry");
    }
}

public sealed class CheckerTests
{
    [Fact]
    public void An_empty_chapter_gives_a_valid_result()
    {
        var result = Check("", target: 3000, brief: new ChapterBrief(["Ellen lights the lamp"]));

        result.Words.Should().Be(0);
        result.Of("length.target").Should().ContainSingle();
        result.Of("brief.beat_missing").Should().ContainSingle();
        result.PassedRules.Should().Contain("character.fact_contradiction");
    }

    [Fact]
    public void A_chapter_of_200000_words_gives_a_valid_result_in_seconds()
    {
        var paragraph = "Ellen climbed the stair and trimmed the wick while Tom watched the boats come in across the grey water of the bay.";
        var text = string.Join("\n\n", Enumerable.Range(0, 200_000 / 22 + 1).Select(index => $"{paragraph} Wave {index}."));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = Check(text, target: 3000);

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
        result.Words.Should().BeGreaterThanOrEqualTo(200_000);
        result.Of("length.target").Should().ContainSingle();
        result.Status.Should().Be("warning");
    }

    [Fact]
    public void A_clean_chapter_passes_every_rule_and_disabled_rules_are_not_run()
    {
        var result = Check("Ellen climbed the stair and lit the lamp.");
        result.Status.Should().Be("pass");
        result.PassedRules.Should().HaveCount(ContinuityChecker.Rules.Count);

        var settings = new Dictionary<string, RuleSetting> { ["style.repetition"] = new(false, null), ["character.fact_contradiction"] = new(true, "warning") };
        var configured = ContinuityChecker.Check(new ChapterToCheck(3, "Ellen's blue eyes shone. It was a testament to her mood."), CheckContext.For(Facts()), settings);
        configured.Violations.Should().ContainSingle().Which.Severity.Should().Be("warning");
        configured.PassedRules.Should().NotContain("style.repetition");
        configured.Status.Should().Be("warning");
    }

    [Fact]
    public void The_same_input_gives_the_same_result_and_fingerprints_ignore_line_numbers()
    {
        var first = Check("Ellen's blue eyes shone.");
        var moved = Check("The wind rose.\n\nEllen's blue eyes shone.");

        first.Violations.Should().BeEquivalentTo(Check("Ellen's blue eyes shone.").Violations);
        moved.Violations[0].Fingerprint.Should().Be(first.Violations[0].Fingerprint);
        Check("Ellen's green eyes shone.").Violations[0].Fingerprint.Should().NotBe(first.Violations[0].Fingerprint);
    }

    [Fact]
    public void Extraction_lists_appearances_unknown_names_attributes_and_dates()
    {
        var text = "It was now the middle of November.\n\nEllen met Ellen's old friend, and Tom waved. Later Jonas Pike came, and Ellen spoke with Pike.\n\nThen Pike left. Tom's blue eyes followed him.";

        var extraction = ChapterExtractor.Extract(new ChapterToCheck(2, text), Facts());

        extraction.Appearances.Select(appearance => (appearance.Character, appearance.Mentions)).Should().Equal(("Ellen Marsh", 3), ("Tom Marsh", 2));
        extraction.Appearances[0].FirstLine.Should().Be(3);
        extraction.UnknownNames.Should().ContainSingle().Which.Name.Should().Be("Pike");
        extraction.Facts.Should().ContainSingle().Which.Should().Be(new EstablishedFact("Tom Marsh", "eye_colour", "blue", 2, 5, "Tom's blue eyes followed him."));
        extraction.Dates.Should().ContainSingle().Which.Month.Should().Be(10);
    }
}
