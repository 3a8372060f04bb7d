using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Folio.Versioning.Api.Features.Branches;
using Folio.Versioning.Api.Features.Chapters;
using Folio.Versioning.Api.Features.Commits;
using Folio.Versioning.Api.Features.Compare;
using Folio.Versioning.Api.Features.Content;
using Folio.Versioning.Api.Features.History;
using Folio.Versioning.Api.Features.Locks;
using Folio.Versioning.Api.Features.Manuscripts;
using Folio.Versioning.Api.Features.Repositories;
using Folio.Versioning.Api.Features.Retention;
using Folio.Versioning.Api.Features.Storage;
using Folio.Versioning.Api.Features.Versions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Folio.Versioning.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddVersioning(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Versioning", typeof(Extensions).Assembly);
        builder.AddFolioMessaging(bus =>
        {
            bus.AddConsumer<ProjectCreatedConsumer>();
            bus.AddConsumer<ProjectDeletedConsumer>();
            bus.AddConsumer<ChaptersReorderedConsumer>();
        });
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        builder.Services.AddSingleton<RepositoryStore>();
        builder.AddContentStore();
        builder.Services.AddMemoryCache(cache => cache.SizeLimit = 10_000);
        builder.Services.AddSingleton<HistoryStore>();
        builder.Services.AddSingleton<Features.Locks.GenerationLocks>();
        builder.Services.AddSingleton<HistoryGarbageCollector>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RetentionRunner>();
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section));
        builder.Services.AddHostedService<RetentionService>();
        builder.Services.AddOwnershipTable("repositories", "project_id");
        return builder;
    }

    /// <summary>Every REST resource and the gRPC services, one route group each.</summary>
    public static IEndpointRouteBuilder MapVersioningApi(this IEndpointRouteBuilder app) => app
        .MapRepositoriesApi()
        .MapBranchesApi()
        .MapChaptersApi()
        .MapCommitsApi()
        .MapVersionsApi()
        .MapDiffApi()
        .MapMergeApi()
        .MapLocksApi()
        .MapStorageApi()
        .MapRepositorySettingsApi()
        .MapRepositoriesGrpc()
        .MapManuscriptsGrpc();
}
