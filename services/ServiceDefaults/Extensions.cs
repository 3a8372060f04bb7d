using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Hosting;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every Folio process has: telemetry, JSON logs, health, problem+json errors, JWT validation and resilient HttpClients.</summary>
public static class Extensions
{
    public const string ReadyTag = "ready";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddFolioLogging();
        builder.AddFolioTelemetry();
        builder.AddFolioProblemDetails();
        builder.AddFolioAuthentication();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddFolioResilience());
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            // Responses are application/json, never inlined into HTML, so prose keeps its quotes and letters as they are
            // (smaller bodies, less work per chapter) instead of \u0022-style escapes.
            json.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        return builder;
    }

    /// <summary>
    /// Adds the shared middleware (it runs after routing and before any endpoint, whatever order Program.cs maps in)
    /// and the health endpoints.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains("live"),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        // No MapFallback: an unknown address gets routing's bare 404, which UseStatusCodePages turns into problem+json,
        // while a known address with the wrong method or Content-Type keeps its 405 / 415 (a fallback would answer 404).
        return app;
    }
}
