using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Folio.ServiceDefaults.Hosting;

internal static class Logging
{
    /// <summary>One JSON object per line; scopes carry the trace and span ids so logs join traces.</summary>
    public static void AddFolioLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
    }
}
