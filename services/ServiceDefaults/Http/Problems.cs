using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Folio.ServiceDefaults.Http;

/// <summary>Typed problem+json results with consistent titles.</summary>
public static class Problems
{
    /// <summary>Also what another user's resource looks like: ids must not leak whether something exists.</summary>
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);

    public static ProblemHttpResult ServiceUnavailable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable", detail: detail);

    public static ProblemHttpResult TooManyRequests(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests", detail: detail);
}
