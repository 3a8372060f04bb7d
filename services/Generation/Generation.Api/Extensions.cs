using Folio.Generation.Api.Features.Providers;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Messaging;

namespace Folio.Generation.Api;

public static class Extensions
{
    public static IHostApplicationBuilder AddGeneration(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Generation", typeof(Extensions).Assembly);
        builder.AddFolioMessaging();
        builder.AddModelProviders();
        return builder;
    }
}
