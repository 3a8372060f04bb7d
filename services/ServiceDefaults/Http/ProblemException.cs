using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Folio.ServiceDefaults.Http;

/// <summary>
/// A domain refusal deep inside a use case (stale expected version, frozen version, held lock) that must reach the
/// client as problem+json with this status and detail, without every layer above threading a result type.
/// </summary>
public sealed class ProblemException(int statusCode, string title, string detail) : Exception(detail)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    public static ProblemException NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not Found", detail);

    public static ProblemException Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemException PreconditionFailed(string detail) => new(StatusCodes.Status412PreconditionFailed, "Precondition Failed", detail);

    public static ProblemException PreconditionRequired(string detail) => new(StatusCodes.Status428PreconditionRequired, "Precondition Required", detail);

    public static ProblemException Gone(string detail) => new(StatusCodes.Status410Gone, "Gone", detail);

    public static ProblemException Locked(string detail) => new(StatusCodes.Status423Locked, "Locked", detail);

    public static ProblemException Unprocessable(string detail) => new(StatusCodes.Status422UnprocessableEntity, "Unprocessable Entity", detail);

    public static ProblemException BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad Request", detail);
}

internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ProblemException problem)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = problem.StatusCode, Title = problem.Title, Detail = problem.Message },
        });
    }
}
