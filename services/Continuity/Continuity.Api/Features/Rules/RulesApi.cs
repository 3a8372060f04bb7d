using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.Continuity.Api.Features.Rules;

public sealed record RuleDescription(string Id, string DefaultSeverity, string Description);

/// <summary>The catalogue of continuity rules, by their stable ids.</summary>
public static class RulesApi
{
    private static readonly RuleDescription[] Catalogue =
    [
        new("character.fact_contradiction", "error", "A stated attribute contradicts the character's facts valid at that chapter, or an earlier chapter."),
        new("character.unknown_name", "warning", "A capitalised name close to a known character or alias: likely a misspelling."),
        new("character.dead_appears", "error", "A character acts or speaks after the chapter of their death."),
        new("timeline.order", "error", "An explicit date, day or season contradicts the timeline or earlier chapters."),
        new("pov.shift", "warning", "The point of view differs from the brief or the book's style."),
        new("tense.shift", "warning", "The tense differs from the book's style."),
        new("style.repetition", "warning", "A phrase is repeated beyond the threshold, or a banned phrase is used."),
        new("length.target", "warning", "The chapter is far from its target length."),
        new("brief.beat_missing", "error", "A beat of the chapter's brief is not covered."),
    ];

    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/continuity").RequireAuthorization().WithTags("Continuity")
            .MapGet("/rules", () => TypedResults.Ok<IReadOnlyList<RuleDescription>>(Catalogue));
        return app;
    }
}
