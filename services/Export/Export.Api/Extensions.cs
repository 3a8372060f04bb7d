using Folio.Export.Api.Features.Books;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Api.Features.Git;
using Folio.Export.Api.Features.Import;
using Folio.Export.Api.Features.Sources;
using Folio.Export.Api.Features.Storage;
using Folio.Export.Core.Writers;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Folio.Export.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddExport(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Export", typeof(Extensions).Assembly);
        builder.AddFolioMessaging(bus =>
        {
            bus.AddConsumer<ProjectDeletedConsumer>();
            bus.AddConsumer<ProjectCreatedConsumer>();
            bus.AddConsumer<ProjectUpdatedConsumer>();
            bus.AddConsumer<SeriesUpdatedConsumer>();
            bus.AddConsumer<ChapterAddedConsumer>();
            bus.AddConsumer<ChapterUpdatedConsumer>();
            bus.AddConsumer<ChapterDeletedConsumer>();
            // Exports are CPU- and memory-heavy (PDF above all): a few at a time, the rest wait in the queue.
            bus.AddConsumer<RunExportConsumer>().Endpoint(endpoint => endpoint.ConcurrentMessageLimit = 2);
            // Each import commit carries the expected head, so two imports into one book cannot interleave (the later fails).
            bus.AddConsumer<RunImportConsumer>().Endpoint(endpoint => endpoint.ConcurrentMessageLimit = 2);
        });
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        builder.Services.AddGrpcClient(VersioningClient.Name, "Services:Versioning:Grpc");
        builder.Services.AddSingleton<VersioningClient>();
        builder.Services.AddSingleton<BookStore>();
        builder.Services.AddOwnershipTable("export_books", "project_id");
        builder.Services.AddSingleton<ExportJobs>();
        builder.Services.AddSingleton<BookAssembler>();
        builder.Services.AddSingleton<HistoryAssembler>();
        builder.Services.AddSingleton<GitBundleWriter>();
        builder.Services.AddSingleton<GitRepositoryReader>();
        builder.Services.AddSingleton<ImportJobs>();
        builder.Services.AddServiceHttpClient(ProjectsClient.Name, "Services:Projects:Http");
        builder.Services.AddSingleton<ProjectsClient>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IBookWriter, PlainTextWriter>();
        builder.Services.AddSingleton<IBookWriter, MarkdownWriter>();
        builder.Services.AddSingleton<IBookWriter, EpubWriter>();
        builder.Services.AddSingleton<IBookWriter, DocxWriter>();
        builder.Services.Configure<WeasyPrintOptions>(builder.Configuration.GetSection(WeasyPrintOptions.Section));
        builder.Services.AddSingleton<WeasyPrint>();
        builder.Services.Configure<ExportStorageOptions>(builder.Configuration.GetSection(ExportStorageOptions.Section));
        builder.Services.AddSingleton<IExportStorage, FolderExportStorage>();
        builder.Services.Configure<ExportRunOptions>(builder.Configuration.GetSection(ExportRunOptions.Section));
        builder.Services.AddSingleton<ExpiredFileSweeper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ExpiredFileSweeper>());
        return builder;
    }
}
