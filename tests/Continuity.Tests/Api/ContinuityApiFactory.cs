using System.Collections.Concurrent;
using Folio.Continuity.Api.Features.Sources;
using Folio.Tests.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Folio.Continuity.Tests.Api;

/// <summary>
/// The real Continuity API on Kestrel with a fresh database on the test PostgreSQL and the test RabbitMQ. Chapter text comes from
/// <see cref="Manuscripts"/> instead of Versioning's gRPC: the tests write the manuscript there, and it records whose token read it.
/// </summary>
public sealed class ContinuityApiFactory : WebApplicationFactory<Program>
{
    public ContinuityApiFactory() => UseKestrel(0);

    public string ConnectionString { get; } = TestInfrastructure.NewDatabase("continuity");

    public Manuscripts Texts { get; } = new();

    public IBus Bus => Services.GetRequiredService<IBus>();

    public HttpClient ClientFor(Guid? userId) => CreateClient().SignedInAs(userId);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("ConnectionStrings:Continuity", ConnectionString);
        // Short, so the test of a review that never comes waits seconds, not the production 40.
        builder.UseSetting("LlmChecks:Timeout", "00:00:04");
        // Long enough that a test's burst of commits lands within one quiet period, short enough not to slow the tests.
        builder.UseSetting("AutoRecheck:QuietPeriod", "00:00:00.5");
        builder.ConfigureTestServices(services => services.AddSingleton<IChapterTexts>(Texts));
    }
}

/// <summary>Chapter texts by (project, ref, chapter); a ref may be a branch or a commit id. Only the project's owner may read them.</summary>
public sealed class Manuscripts : IChapterTexts
{
    private readonly ConcurrentDictionary<(Guid, string, Guid), ChapterSource> texts = new();
    private readonly ConcurrentDictionary<Guid, Guid> owners = new();

    public ConcurrentQueue<(Guid ProjectId, string Ref, Guid ChapterId, Guid Caller, string? Azp)> Reads { get; } = new();

    public void Own(Guid projectId, Guid ownerId) => owners[projectId] = ownerId;

    public void Write(Guid projectId, Guid chapterId, string commitId, string text, string branch = "main")
    {
        texts[(projectId, branch, chapterId)] = new ChapterSource(commitId, text);
        texts[(projectId, commitId, chapterId)] = new ChapterSource(commitId, text);
    }

    public Task<ChapterSource?> GetAsync(Guid projectId, string reference, Guid chapterId, string bearerToken, CancellationToken cancellationToken)
    {
        var token = new JsonWebTokenHandler().ReadJsonWebToken(bearerToken);
        var caller = Guid.Parse(token.Subject);
        Reads.Enqueue((projectId, reference, chapterId, caller, token.TryGetPayloadValue<string>("azp", out var azp) ? azp : null));
        var allowed = owners.TryGetValue(projectId, out var owner) && owner == caller;
        return Task.FromResult(allowed && texts.TryGetValue((projectId, reference, chapterId), out var source) ? source : null);
    }
}

[CollectionDefinition(Name)]
public sealed class SharedContinuityApi : ICollectionFixture<ContinuityApiFactory>
{
    public const string Name = "Continuity API";
}
