using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Folio.ServiceDefaults.Http;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Folio.ServiceDefaults.Hosting;

internal static class ProblemDetailsDefaults
{
    private const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Every error leaves as RFC 9457 problem+json with the trace id, never with a stack trace.</summary>
    public static void AddFolioProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            var traceId = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Extensions["traceId"] = traceId;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<ExceptionHandlerOptions>(options =>
        {
            options.StatusCodeSelector = StatusCodeFor;
            // A refusal the client caused is not a server error worth an error log.
            options.SuppressDiagnosticsCallback = context => context.Exception is ProblemException;
        });
        // Kestrel's own default is 30 MB (not null), so this must assign; an explicit Kestrel:Limits:MaxRequestBodySize still wins.
        builder.Services.Configure<KestrelServerOptions>(options =>
            options.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("Kestrel:Limits:MaxRequestBodySize") ?? MaxRequestBodyBytes);
    }

    private static int StatusCodeFor(Exception exception) => exception switch
    {
        ProblemException problem => problem.StatusCode,
        Microsoft.AspNetCore.Http.BadHttpRequestException badRequest => badRequest.StatusCode,
        PostgresException => StatusCodes.Status500InternalServerError,
        NpgsqlException or TimeoutException => StatusCodes.Status503ServiceUnavailable,
        OperationCanceledException => StatusCodes.Status499ClientClosedRequest,
        _ => StatusCodes.Status500InternalServerError,
    };
}
