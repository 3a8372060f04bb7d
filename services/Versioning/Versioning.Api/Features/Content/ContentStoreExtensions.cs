using Folio.ServiceDefaults.Hosting;

namespace Folio.Versioning.Api.Features.Content;

public static class ContentStoreExtensions
{
    /// <summary>
    /// The content store (one per process: it owns the pack cache) and its background repacker, configured from the
    /// <c>Content</c> section. Needs the service's <see cref="Npgsql.NpgsqlDataSource"/> and migration 0002_content.
    /// </summary>
    public static IHostApplicationBuilder AddContentStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ContentStoreOptions>().Bind(builder.Configuration.GetSection(ContentStoreOptions.Section))
            .ValidateShare(options => options.RepackShare, $"{ContentStoreOptions.Section}:{nameof(ContentStoreOptions.RepackShare)}")
            .ValidateOnStart();
        builder.Services.AddSingleton<ContentStore>();
        builder.Services.AddHostedService<ContentRepacker>();
        return builder;
    }
}
