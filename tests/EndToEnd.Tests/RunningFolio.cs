using System.Diagnostics;
using System.Net;
using System.Text;
using Folio.Tests.Infrastructure;

namespace Folio.EndToEnd.Tests;

/// <summary>
/// Every Folio process, real and separate, built by ./test.sh and started here on ports of their own, each with a
/// fresh database on the test PostgreSQL, the test RabbitMQ and Redis. Shared by the end-to-end tests.
/// </summary>
public sealed class RunningFolio : IAsyncLifetime
{
    /// <summary>
    /// REST ports are base+0 (gateway) … base+5, gRPC ports base+100 …; none collide with ./run.sh's. FOLIO_E2E_BASE_PORT
    /// moves them so two checkouts can run their end-to-end tests on one machine at once.
    /// </summary>
    private readonly int basePort = int.TryParse(Environment.GetEnvironmentVariable("FOLIO_E2E_BASE_PORT"), out var port) ? port : 6100;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private static readonly ServiceProcess[] Processes =
    [
        new("projects", "services/Projects/Projects.Api", "Folio.Projects.Api", "Projects", 1),
        new("versioning", "services/Versioning/Versioning.Api", "Folio.Versioning.Api", "Versioning", 2),
        new("generation", "services/Generation/Generation.Api", "Folio.Generation.Api", "Generation", 3),
        new("continuity", "services/Continuity/Continuity.Api", "Folio.Continuity.Api", "Continuity", 4),
        new("export", "services/Export/Export.Api", "Folio.Export.Api", "Export", 5),
        new("gateway", "gateway/Gateway", "Folio.Gateway", "Gateway", 0),
    ];

    private readonly List<(ServiceProcess Service, Process Process, StringBuilder Output)> running = [];
    private readonly Dictionary<string, string> databases = [];

    public Uri Gateway => new($"http://127.0.0.1:{HttpPort(0)}");

    public string GatewayGrpcTarget => $"127.0.0.1:{GrpcPort(0)}";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public IReadOnlyList<Uri> ServiceHealthUris => Processes.Select(p => new Uri($"http://127.0.0.1:{HttpPort(p.Offset)}/health/ready")).ToList();

    public async Task InitializeAsync()
    {
        foreach (var service in Processes)
        {
            Start(service);
        }

        using var http = new HttpClient();
        foreach (var (service, process, output) in running)
        {
            await WaitUntilReadyAsync(http, service, process, output);
        }
    }

    public Task DisposeAsync()
    {
        foreach (var (_, process, _) in running)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }

        return Task.CompletedTask;
    }

    public string OutputOf(string name) => running.Single(r => r.Service.Name == name).Output.ToString();

    /// <summary>The connection string of a service's own database, for a test that must hold a row the service needs.</summary>
    public string DatabaseOf(string name) => databases[name];

    /// <summary>kill -9 of one service (no shutdown of any kind), then the same service on the same database and ports again.</summary>
    public async Task KillAndRestartAsync(string name, TimeSpan downFor)
    {
        var entry = running.Single(r => r.Service.Name == name);
        entry.Process.Kill(entireProcessTree: false);
        await entry.Process.WaitForExitAsync();
        running.Remove(entry);
        await Task.Delay(downFor);
        Start(entry.Service);
        using var http = new HttpClient();
        var restarted = running.Single(r => r.Service.Name == name);
        await WaitUntilReadyAsync(http, restarted.Service, restarted.Process, restarted.Output);
    }

    private int HttpPort(int offset) => basePort + offset;

    private int GrpcPort(int offset) => basePort + 100 + offset;

    private void Start(ServiceProcess service)
    {
        var configuration = Environment.GetEnvironmentVariable("FOLIO_CONFIGURATION") ?? "Release";
        var directory = Path.Combine(RepositoryRoot, service.Folder, "bin", configuration, "net10.0");
        var assembly = Path.Combine(directory, service.Assembly + ".dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} is missing: build the solution with -c {configuration} first (./test.sh does).");
        }

        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in TestInfrastructure.ServiceSettings())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{HttpPort(service.Offset)}";
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{GrpcPort(service.Offset)}";
        if (!databases.TryGetValue(service.Name, out var database))
        {
            databases[service.Name] = database = TestInfrastructure.NewDatabase("e2e_" + service.Name);
        }

        start.Environment[$"ConnectionStrings__{service.Database}"] = database;
        start.Environment["Services__Versioning__Grpc"] = $"http://127.0.0.1:{GrpcPort(2)}";
        start.Environment["Services__Projects__Http"] = $"http://127.0.0.1:{HttpPort(1)}";
        // A check Continuity does not answer in time is skipped visibly; the tests should not wait the production minute.
        start.Environment["Generation__ContinuityTimeout"] = "00:00:20";
        // Jobs start when they are queued or a job ends (the dispatcher is woken); the tick is only the fallback.
        start.Environment["Generation__DispatchInterval"] = "00:00:30";
        // A model server that is down for good should fail the job in seconds, not after the production backoff.
        start.Environment["Llm__MaxRetries"] = "1";
        start.Environment["Llm__BaseDelay"] = "00:00:00.050";
        // Every test signs up its own writers from this one address; the limiter itself is tested in Gateway.Tests.
        start.Environment["AuthRateLimit__PermitsPerMinute"] = "1000";
        foreach (var cluster in Processes.Where(p => p.Offset > 0))
        {
            start.Environment[$"ReverseProxy__Clusters__{cluster.Name}__Destinations__primary__Address"] = $"http://127.0.0.1:{HttpPort(cluster.Offset)}";
        }

        start.Environment["ReverseProxy__Clusters__versioning-grpc__Destinations__primary__Address"] = $"http://127.0.0.1:{GrpcPort(2)}";

        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        running.Add((service, process, output));
    }

    private async Task WaitUntilReadyAsync(HttpClient http, ServiceProcess service, Process process, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{service.Name} exited with {process.ExitCode}:\n{output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HttpPort(service.Offset)}/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{service.Name} was not ready within {StartTimeout}:\n{output}");
            }

            await Task.Delay(250);
        }
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Microservices.sln not found above the test output folder.");
    }

    private sealed record ServiceProcess(string Name, string Folder, string Assembly, string Database, int Offset);
}

[CollectionDefinition(Name)]
public sealed class RunningFolioDefinition : ICollectionFixture<RunningFolio>
{
    public const string Name = "Running Folio";
}
