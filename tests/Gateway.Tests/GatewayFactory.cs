using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Dapper;
using Folio.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Folio.Gateway.Tests;

/// <summary>
/// The real gateway on Kestrel with a fresh database on the test PostgreSQL and the test Redis.
/// Every client it hands out connects from its own loopback address (127.x.y.z), so the per-address auth rate limit,
/// which lives in the shared Redis, counts each test on its own and never leaks between tests, classes or runs.
/// (Linux routes all of 127.0.0.0/8 to the loopback interface; other systems would need those addresses aliased.)
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>
{
    private static readonly HashSet<IPAddress> UsedAddresses = [];
    private readonly IReadOnlyDictionary<string, string?> overrides;

    public GatewayFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    protected GatewayFactory(IReadOnlyDictionary<string, string?> overrides)
    {
        this.overrides = overrides;
        UseKestrel(0);
    }

    public string ConnectionString { get; } = TestInfrastructure.NewDatabase("gateway");

    /// <summary>A client on a loopback address no other client of this process uses.</summary>
    public HttpClient CreateIsolatedClient(string? bearer = null)
    {
        StartServer();
        var local = NewClientAddress();
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = ClientOptions.BaseAddress };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public async Task<long> CountUsersWithEmailAsync(string email)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM users WHERE lower(email) = lower(@email)", new { email });
    }

    public async Task<long> CountApiKeysOfAsync(Guid userId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM api_keys WHERE user_id = @userId", new { userId });
    }

    public async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(sql, parameters);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("ConnectionStrings:Gateway", ConnectionString);
        foreach (var (key, value) in overrides)
        {
            builder.UseSetting(key, value);
        }
    }

    private static IPAddress NewClientAddress()
    {
        lock (UsedAddresses)
        {
            while (true)
            {
                var address = new IPAddress([127, (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
                if (UsedAddresses.Add(address))
                {
                    return address;
                }
            }
        }
    }
}

/// <summary>One gateway shared by the identity and API-key tests (default settings: 20 auth attempts per minute per address).</summary>
[CollectionDefinition(Name)]
public sealed class SharedGateway : ICollectionFixture<GatewayFactory>
{
    public const string Name = "Gateway";
}
