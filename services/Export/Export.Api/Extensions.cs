using Folio.Export.Api.Features.Sources;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Grpc;
using Folio.ServiceDefaults.Messaging;

namespace Folio.Export.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddExport(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Export", typeof(Extensions).Assembly);
        builder.AddFolioMessaging(bus => bus.AddConsumer<ProjectDeletedConsumer>());
        builder.Services.AddGrpcClient(VersioningClient.Name, "Services:Versioning:Grpc");
        builder.Services.AddScoped<VersioningClient>();
        return builder;
    }
}
