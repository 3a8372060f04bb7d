using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;
using Folio.Versioning.Api.Features.Repositories;

namespace Folio.Versioning.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddVersioning(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Versioning", typeof(Extensions).Assembly);
        builder.AddFolioMessaging(bus => bus.AddConsumer<ProjectCreatedConsumer>());
        builder.Services.AddSingleton<RepositoryStore>();
        return builder;
    }
}
