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
        // Jobs are dispatched when they are queued or one ends; the tick is a fallback no test may depend on.
        builder.UseSetting("Generation:DispatchInterval", "00:10:00");
    }
}

[CollectionDefinition(Name)]
public sealed class SharedGenerationApi : ICollectionFixture<GenerationApiFactory>
{
    public const string Name = "Generation API";
}
