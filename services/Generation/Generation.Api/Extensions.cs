using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Api.Features.Settings;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Validation;

namespace Folio.Generation.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddGeneration(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Generation", typeof(Extensions).Assembly);
        builder.AddFolioMessaging();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        builder.AddModelProviders();
        builder.AddApiKeyProtection();
        return builder;
    }

    public static IEndpointRouteBuilder MapGenerationApi(this IEndpointRouteBuilder app)
    {
        app.MapProvidersApi();
        app.MapProviderSettingsApi();
        return app;
    }
}
