using System.Diagnostics;
using System.Text.Json;

namespace Folio.ServiceDefaults.Tests.Grpc;

/// <summary>Proves wire compatibility with an independent implementation: Python's grpcio (gRPC C core) against our server.</summary>
[Collection(EchoServerDefinition.Name)]
public sealed class GrpcInteropTests(EchoServer server)
{
    // Debian's interpreter, where apt installs grpcio; a pyenv python3 earlier on PATH would not have it.
    private const string Python = "/usr/bin/python3";
    private const string AptPackages = "python3-grpcio python3-grpc-tools python3-protobuf";
    private const string ErrorText = "Kapitel «7» fehlt: 100% 🙂";

    [Fact]
    public async Task PythonGrpcioClientInteroperatesWithOurServer()
    {
        File.Exists(Python).Should().BeTrue($"the interop test runs {Python}; install it with: apt-get install {AptPackages}");

        var results = await RunClientAsync();

        results["unary"].GetProperty("text").GetString().Should().Be("hello from python");
        results["unary"].GetProperty("user").GetString().Should().Be("tester");
        results["unary"].GetProperty("has_deadline").GetBoolean().Should().BeTrue();
        results["streaming"].GetProperty("numbers").EnumerateArray().Select(n => n.GetInt32()).Should().Equal(1, 2, 3, 4, 5);
        results["error"].GetProperty("code").GetString().Should().Be("NOT_FOUND");
        results["error"].GetProperty("details").GetString().Should().Be(ErrorText);
        results["deadline"].GetProperty("code").GetString().Should().Be("DEADLINE_EXCEEDED");
        results["deadline"].GetProperty("elapsed_ms").GetInt32().Should().BeLessThan(1500);
        results["unauthenticated"].GetProperty("code").GetString().Should().Be("UNAUTHENTICATED");
        server.CancelledCalls.Should().Contain("python-deadline");
    }

    private async Task<Dictionary<string, JsonElement>> RunClientAsync()
    {
        var grpcFolder = Path.Combine(AppContext.BaseDirectory, "Grpc");
        // -I: isolated mode, so PYTHONPATH or user site-packages cannot substitute another grpcio.
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { "-I", Path.Combine(grpcFolder, "interop_client.py"), $"{server.Address.Host}:{server.Address.Port}", Path.Combine(grpcFolder, "Protos") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.ExitCode.Should().Be(0, $"the Python client must run (apt-get install {AptPackages}); it said:\n{await stderr}{await stdout}");
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(result => result.GetProperty("case").GetString()!);
    }
}
