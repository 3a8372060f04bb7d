using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;

namespace Folio.Continuity.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddContinuity(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Continuity", typeof(Extensions).Assembly);
        builder.AddFolioMessaging(bus => bus.AddConsumer<ProjectDeletedConsumer>());
        return builder;
    }
}
