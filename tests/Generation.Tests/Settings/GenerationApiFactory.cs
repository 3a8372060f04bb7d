using Folio.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Folio.Generation.Tests.Settings;

/// <summary>The real Generation API on Kestrel with a fresh database on the test PostgreSQL and a private key ring.</summary>
public sealed class GenerationApiFactory : WebApplicationFactory<Program>
{
    public GenerationApiFactory() => UseKestrel(0);

    public string ConnectionString { get; } = TestInfrastructure.NewDatabase("generation");

    public string KeyRingPath { get; } = Directory.CreateTempSubdirectory("folio-keys-").FullName;

    /// <summary>Settings of this instance's own, over the ones every test shares.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    public HttpClient ClientFor(Guid? userId) => CreateClient().SignedInAs(userId);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("ConnectionStrings:Generation", ConnectionString);
        builder.UseSetting("DataProtection:KeyRingPath", KeyRingPath);
        builder.UseSetting("Llm:BaseDelay", "00:00:00.050");
        builder.UseSetting("Llm:Prices:claude-test:Input", "3");
        builder.UseSetting("Llm:Prices:claude-test:Output", "15");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedGenerationApi : ICollectionFixture<GenerationApiFactory>
{
    public const string Name = "Generation API";
}
