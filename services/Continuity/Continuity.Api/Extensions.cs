using Folio.Continuity.Api.Features.Checks;
using Folio.Continuity.Api.Features.Impact;
using Folio.Continuity.Api.Features.Llm;
using Folio.Continuity.Api.Features.Projection;
using Folio.Continuity.Api.Features.Rules;
using Folio.Continuity.Api.Features.Saga;
using Folio.Continuity.Api.Features.Settings;
using Folio.Continuity.Api.Features.Sources;
using Folio.Continuity.Api.Features.Waivers;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Hosting;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Folio.Continuity.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddContinuity(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Continuity", typeof(Extensions).Assembly);
        builder.AddFolioMessaging(bus =>
        {
            bus.AddConsumer<ProjectCreatedConsumer>();
            bus.AddConsumer<ProjectDeletedConsumer>();
            bus.AddConsumer<CharacterUpdatedConsumer>();
            bus.AddConsumer<CharacterDeletedConsumer>();
            bus.AddConsumer<WorldEntryUpdatedConsumer>();
            bus.AddConsumer<ChapterAddedConsumer>();
            bus.AddConsumer<ChapterUpdatedConsumer>();
            bus.AddConsumer<ChapterDeletedConsumer>();
            bus.AddConsumer<ChaptersReorderedConsumer>();
            bus.AddConsumer<TimelineEventUpdatedConsumer>();
            bus.AddConsumer<TimelineEventDeletedConsumer>();
            bus.AddConsumer<ChapterRevisionCommittedConsumer>();
            bus.AddConsumer<CheckChapterContinuityConsumer>();
        });
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        builder.Services.AddOwnershipTable("projects", "project_id");
        builder.Services.AddGrpcClient(VersioningChapterTexts.Name, "Services:Versioning:Grpc");
        builder.Services.AddSingleton<IChapterTexts, VersioningChapterTexts>();
        builder.Services.Configure<LlmCheckOptions>(builder.Configuration.GetSection(LlmCheckOptions.Section));
        builder.Services.AddSingleton<LlmReviewer>();
        builder.Services.AddSingleton<CheckRunner>();
        builder.Services.AddOptions<AutoRecheckOptions>().Bind(builder.Configuration.GetSection(AutoRecheckOptions.Section))
            .ValidateShare(options => options.PassShare, $"{AutoRecheckOptions.Section}:{nameof(AutoRecheckOptions.PassShare)}")
            .ValidateOnStart();
        builder.Services.AddSingleton<DueRechecks>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DueRechecks>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    public static IEndpointRouteBuilder MapContinuityApi(this IEndpointRouteBuilder app)
    {
        app.MapRulesApi();
        app.MapChecksApi();
        app.MapWaiversApi();
        app.MapPropagationApi();
        app.MapSettingsApi();
        return app;
    }
}
