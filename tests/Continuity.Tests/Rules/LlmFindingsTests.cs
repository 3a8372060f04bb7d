using Folio.Continuity.Core;

namespace Folio.Continuity.Tests.Rules;

public sealed class LlmFindingsTests
{
    private const string Chapter = "# Three\n\nEllen climbed the stair. Her blue eyes searched the water.\n\nTom waited below.";

    private static LlmFinding Finding(string quote, params Evidence[] evidence) =>
        new("llm.character", "error", null, quote, "Her eyes are grey.", null, evidence);

    [Fact]
    public void A_quote_in_the_chapter_with_a_fact_as_evidence_is_kept_at_its_sentence()
    {
        var (accepted, dropped) = LlmFindings.Accept(Chapter, 3, [Finding("HER BLUE  eyes", new Evidence(null, 0, "Ellen Marsh: eye_colour = grey"))]);

        dropped.Should().Be(0);
        accepted.Should().ContainSingle().Which.Location.Should().Be(new Location(3, "Her blue eyes searched the water."));
    }

    [Fact]
    public void Evidence_from_a_later_chapter_or_not_found_in_this_one_does_not_count()
    {
        var (accepted, dropped) = LlmFindings.Accept(Chapter, 3,
        [
            Finding("blue eyes", new Evidence(4, 2, "Her eyes were grey.")),
            Finding("blue eyes", new Evidence(3, 1, "Her grey eyes closed.")),
            Finding("blue eyes", new Evidence(null, 0, "  ")),
        ]);

        accepted.Should().BeEmpty();
        dropped.Should().Be(3);
    }

    [Fact]
    public void An_earlier_line_of_the_same_chapter_is_evidence_when_it_is_there()
    {
        var (accepted, _) = LlmFindings.Accept(Chapter, 3, [Finding("Tom waited", new Evidence(3, 3, "Ellen climbed the stair."))]);

        accepted.Should().ContainSingle().Which.Evidence.Should().ContainSingle();
    }

    [Fact]
    public void A_rule_that_is_not_an_llm_rule_an_unknown_severity_a_missing_quote_and_a_repeat_are_dropped()
    {
        var fact = new Evidence(null, 0, "Ellen Marsh: eye_colour = grey");
        var (accepted, dropped) = LlmFindings.Accept(Chapter, 3,
        [
            Finding("blue eyes", fact) with { Rule = "character.fact_contradiction" },
            Finding("blue eyes", fact) with { Severity = "fatal" },
            Finding("green eyes", fact),
            Finding("\"\"", fact),
            Finding("blue eyes", fact),
            Finding("searched the water", fact),
        ]);

        accepted.Should().ContainSingle().Which.Rule.Should().Be("llm.character");
        dropped.Should().Be(5);
    }
}
