using Folio.Generation.Api.Features.Agents;
using Folio.Generation.Api.Features.Books;
using Folio.Generation.Api.Features.Jobs;
using Folio.Generation.Api.Features.Jobs.Saga;
using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Api.Features.Reviews;
using Folio.Generation.Api.Features.Settings;
using Folio.Generation.Core.Offline;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

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
            bus.AddConsumer<PlanChangedConsumer>();
            bus.AddConsumer<JobStepConsumer, JobStepConsumerDefinition>();
            bus.AddConsumer<ReviewChapterContinuityConsumer>();
            bus.AddSagaStateMachine<GenerationJobStateMachine, GenerationJob>()
                .Repository(repository => repository.RegisterSagaRepository<GenerationJob, NpgsqlTransaction,
                    SagaConsumeContextFactory<NpgsqlTransaction, GenerationJob>, JobSagaRepositoryContextFactory>());
        });
        builder.Services.Configure<GenerationOptions>(builder.Configuration.GetSection(GenerationOptions.Section));
        builder.Services.AddServiceHttpClient(ProjectsBook.ClientName, "Services:Projects:Http");
        builder.Services.AddGrpcClient(Manuscript.ClientName, "Services:Versioning:Grpc");
        builder.Services.AddSingleton<ProjectsBook>();
        builder.Services.AddSingleton<Manuscript>();
        builder.Services.AddSingleton<ModelSettingsResolver>();
        builder.Services.AddSingleton<JobSteps>();
        // Sized in characters of cached text (a plan or manifest counts about 100 per chapter): roughly 100 MB at most.
        builder.Services.AddMemoryCache(cache => cache.SizeLimit = 50_000_000);
        builder.Services.AddSingleton<BookSource>();
        builder.Services.AddSingleton<ChapterSummaries>();
        builder.Services.AddSingleton<JobDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<JobDispatcher>());
        builder.Services.AddOwnershipTable("books", "project_id");
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
        app.MapJobsApi();
        return app;
    }
}
