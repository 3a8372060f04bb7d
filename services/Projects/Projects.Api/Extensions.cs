using Folio.Projects.Api.Features.Access;
using Folio.Projects.Api.Features.Appearances;
using Folio.Projects.Api.Features.Audit;
using Folio.Projects.Api.Features.Chapters;
using Folio.Projects.Api.Features.Characters;
using Folio.Projects.Api.Features.Projects;
using Folio.Projects.Api.Features.Series;
using Folio.Projects.Api.Features.Settings;
using Folio.Projects.Api.Features.Stats;
using Folio.Projects.Api.Features.StoryBible;
using Folio.Projects.Api.Features.Suggestions;
using Folio.Projects.Api.Features.Timeline;
using Folio.Projects.Api.Features.World;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Folio.Projects.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddProjects(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Projects", typeof(Extensions).Assembly);
        builder.AddFolioMessaging(bus =>
        {
            bus.AddConsumer<ChapterRevisionCommittedConsumer>();
            bus.AddConsumer<ContinuitySuggestionsExtractedConsumer>();
        });
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        builder.Services.AddOwnershipTable("projects", "id");
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Every REST resource, one route group each.</summary>
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        app.MapProjectEndpoints();
        app.MapChaptersApi();
        app.MapStoryBibleApi();
        app.MapTimelineApi();
        app.MapSettingsApi();
        app.MapStatsApi();
        app.MapAuditApi();
        app.MapSeriesEndpoints();
        app.MapCharacterEndpoints();
        app.MapWorldEndpoints();
        app.MapAppearanceEndpoints();
        app.MapSuggestionsApi();
        return app;
    }
}
