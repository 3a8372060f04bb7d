using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Folio.ServiceDefaults.Grpc;
using Folio.Testing.V1;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Folio.ServiceDefaults.Tests.Grpc;

public static class EchoMethods
{
    public static readonly GrpcMethod<SayRequest, SayReply> Say = GrpcMethod.Unary<SayRequest, SayReply>(EchoReflection.Descriptor, "Echo", "Say");
    public static readonly GrpcMethod<CountRequest, CountReply> Count = GrpcMethod.ServerStreaming<CountRequest, CountReply>(EchoReflection.Descriptor, "Echo", "Count");
    public static readonly GrpcMethod<SayRequest, SayReply> Ping = GrpcMethod.Unary<SayRequest, SayReply>(EchoReflection.Descriptor, "Echo", "Ping");
    public static readonly GrpcMethod<SayRequest, SayReply> NotMapped = GrpcMethod.Unary<SayRequest, SayReply>(EchoReflection.Descriptor, "Echo", "NotMapped");
}

/// <summary>A real Kestrel server speaking HTTP/2 cleartext on a free port, with the Echo service mapped.</summary>
public sealed class EchoServer : IAsyncLifetime
{
    private WebApplication? app;
    private ServiceProvider? clients;

    public Uri Address { get; private set; } = null!;

    /// <summary>Texts of the calls whose handler ran.</summary>
    public ConcurrentBag<string> StartedCalls { get; } = [];

    /// <summary>Texts of the calls whose handler saw its cancellation token fire.</summary>
    public ConcurrentBag<string> CancelledCalls { get; } = [];

    public GrpcClient Client => clients!.GetRequiredService<IGrpcClientFactory>().Create("echo");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        app = builder.Build();
        app.UseAuthentication();
        app.MapGrpcUnary(EchoMethods.Say, SayAsync);
        app.MapGrpcServerStreaming(EchoMethods.Count, CountAsync);
        app.MapGrpcUnary(EchoMethods.Ping, SayAsync, allowAnonymous: true);
        await app.StartAsync();
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var services = new ServiceCollection();
        services.AddGrpcClient("echo", _ => Address);
        clients = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (clients is not null)
        {
            await clients.DisposeAsync();
        }
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task<SayReply> SayAsync(SayRequest request, GrpcCallContext context)
    {
        StartedCalls.Add(request.Text);
        try
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            CancelledCalls.Add(request.Text);
            throw;
        }
        if (request.Crash)
        {
            throw new InvalidOperationException("secret: the database password is hunter2");
        }
        if (request.FailWithCode != 0)
        {
            throw new GrpcException((GrpcStatusCode)request.FailWithCode, request.Text);
        }
        return new SayReply
        {
            Text = request.Text,
            User = context.User.Identity?.Name ?? "",
            Authorization = context.RequestHeaders.Authorization.ToString(),
            HasDeadline = context.Deadline is not null,
        };
    }

    private static async Task CountAsync(CountRequest request, IGrpcStreamWriter<CountReply> writer, GrpcCallContext context)
    {
        for (var number = 1; number <= request.Count; number++)
        {
            await writer.WriteAsync(new CountReply { Number = number });
        }
    }

    /// <summary>Stands in for JWT validation: <c>authorization: Bearer good</c> authenticates as "tester".</summary>
    private sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Test";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers.Authorization == "Bearer good"
                ? AuthenticateResult.Success(new AuthenticationTicket(
                    new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "tester")], SchemeName)), SchemeName))
                : AuthenticateResult.NoResult());
    }
}

[CollectionDefinition(Name)]
public sealed class EchoServerDefinition : ICollectionFixture<EchoServer>
{
    public const string Name = "grpc echo server";
}
