using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Validation;

namespace Folio.Projects.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddProjects(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Projects", typeof(Extensions).Assembly);
        builder.AddFolioMessaging();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        return builder;
    }
}
