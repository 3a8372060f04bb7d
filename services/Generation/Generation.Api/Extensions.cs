using Folio.Generation.Api.Features.Agents;
using Folio.Generation.Api.Features.Books;
using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Api.Features.Settings;
using Folio.Generation.Core.Offline;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Folio.Generation.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddGeneration(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Generation", typeof(Extensions).Assembly);
        builder.AddFolioMessaging(bus =>
        {
            bus.AddConsumer<BookCreatedConsumer>();
            bus.AddConsumer<BookDeletedConsumer>();
        });
        builder.Services.AddSingleton<IProjectOwnership, BookOwnership>();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        builder.AddModelProviders();
        builder.AddApiKeyProtection();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OfflineWriter>();
        builder.Services.AddSingleton<PromptTemplates>();
        builder.Services.AddSingleton<AgentRunRecorder>();
        builder.Services.AddSingleton<StoryAgents>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGenerationApi(this IEndpointRouteBuilder app)
    {
        app.MapProvidersApi();
        app.MapProviderSettingsApi();
        app.MapAgentRunsApi();
        return app;
    }
}
