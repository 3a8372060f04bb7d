using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Folio.ServiceDefaults.Hosting;

public static class Telemetry
{
    /// <summary>Activity source for Folio's own spans (outbox relay, inbox, gRPC calls).</summary>
    public static readonly ActivitySource Source = new("Folio.ServiceDefaults");

    private static readonly string[] TraceSources = ["Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "Npgsql", "Yarp.ReverseProxy", "Folio.*"];

    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime",
        "MassTransit", "Npgsql", "Folio.*",
    ];

    /// <summary>
    /// The instrumentation packages do not restore here, but ASP.NET Core, HttpClient, MassTransit and Npgsql all emit
    /// through ActivitySource/Meter, so an SDK listening to their names sees everything. Export is off unless
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set; the SDK is a singleton so disposing the host flushes it.
    /// </summary>
    public static void AddFolioTelemetry(this IHostApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var serviceName = builder.Environment.ApplicationName;
        var version = Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "0.0.0";

        // Without a collector there is nobody to export to: no listeners, so no span or metric costs a cycle.
        var sdk = OpenTelemetrySdk.Create(otel =>
        {
            otel.ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version));
            if (string.IsNullOrWhiteSpace(endpoint))
            {
                return;
            }

            otel.WithTracing(tracing => tracing.AddSource(TraceSources));
            otel.WithMetrics(metrics => metrics.AddMeter(Meters));
            otel.UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, new Uri(endpoint));
        });
        builder.Services.AddSingleton(sdk);
    }
}
