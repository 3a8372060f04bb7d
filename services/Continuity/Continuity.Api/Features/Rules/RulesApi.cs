using Folio.Continuity.Core;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.Continuity.Api.Features.Rules;

public sealed record RuleDescription(string Id, string DefaultSeverity, string Description);

/// <summary>The catalogue of continuity rules, by their stable ids, as the checker runs them.</summary>
public static class RulesApi
{
    private static readonly RuleDescription[] Catalogue =
        ContinuityChecker.Rules.Select(rule => new RuleDescription(rule.Id, rule.DefaultSeverity, rule.Description)).ToArray();

    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/continuity").RequireAuthorization().WithTags("Continuity")
            .MapGet("/rules", () => TypedResults.Ok<IReadOnlyList<RuleDescription>>(Catalogue));
        return app;
    }
}
