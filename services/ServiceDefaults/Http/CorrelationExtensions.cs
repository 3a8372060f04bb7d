using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Folio.ServiceDefaults.Http;

public static class CorrelationExtensions
{
    public const string HeaderName = "X-Correlation-Id";

    /// <summary>The caller's correlation id when it sent one, otherwise one derived from the trace, so logs, traces and messages line up.</summary>
    public static Guid GetCorrelationId(this HttpContext context)
    {
        if (Guid.TryParse(context.Request.Headers[HeaderName], out var correlationId))
        {
            return correlationId;
        }

        var traceId = Activity.Current?.TraceId.ToString();
        return traceId is not null && Guid.TryParseExact(traceId, "N", out var fromTrace) ? fromTrace : Guid.NewGuid();
    }
}
