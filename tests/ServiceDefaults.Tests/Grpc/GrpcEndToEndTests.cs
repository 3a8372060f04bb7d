using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Folio.ServiceDefaults.Grpc;
using Folio.Testing.V1;
using Google.Protobuf;

namespace Folio.ServiceDefaults.Tests.Grpc;

[Collection(EchoServerDefinition.Name)]
public sealed class GrpcEndToEndTests(EchoServer server)
{
    private static readonly GrpcCallOptions Authenticated = new() { BearerToken = "good" };

    [Fact]
    public async Task UnaryCallReturnsTheAnswerAndTheHandlerSeesTheCaller()
    {
        var reply = await server.Client.UnaryAsync(EchoMethods.Say, new SayRequest { Text = "hello" }, Authenticated);

        reply.Text.Should().Be("hello");
        reply.User.Should().Be("tester");
        reply.Authorization.Should().Be("Bearer good");
        reply.HasDeadline.Should().BeFalse();
    }

    [Fact]
    public async Task ServerStreamingCallReturnsEveryMessageInOrder()
    {
        var numbers = new List<int>();
        await foreach (var reply in server.Client.ServerStreamingAsync(EchoMethods.Count, new CountRequest { Count = 50 }, Authenticated))
        {
            numbers.Add(reply.Number);
        }

        numbers.Should().Equal(Enumerable.Range(1, 50));
    }

    [Fact]
    public async Task ServerStreamingCallWithNoMessagesCompletes()
    {
        var replies = await server.Client.ServerStreamingAsync(EchoMethods.Count, new CountRequest(), Authenticated).ToListAsync();

        replies.Should().BeEmpty();
    }

    [Fact]
    public async Task HandlerGrpcExceptionReachesTheClientWithCodeAndMessage()
    {
        const string message = "Kapitel «7» fehlt: 100% sicher 🙂\nzweite Zeile";

        var call = () => server.Client.UnaryAsync(EchoMethods.Say, new SayRequest { Text = message, FailWithCode = (int)GrpcStatusCode.NotFound }, Authenticated);

        var error = (await call.Should().ThrowAsync<GrpcException>()).Which;
        error.StatusCode.Should().Be(GrpcStatusCode.NotFound);
        error.Message.Should().Be(message);
    }

    [Fact]
    public async Task UnexpectedHandlerExceptionIsInternalWithoutDetails()
    {
        var call = () => server.Client.UnaryAsync(EchoMethods.Say, new SayRequest { Crash = true }, Authenticated);

        var error = (await call.Should().ThrowAsync<GrpcException>()).Which;
        error.StatusCode.Should().Be(GrpcStatusCode.Internal);
        error.Message.Should().NotContain("hunter2").And.NotContain("InvalidOperationException");
    }

    [Fact]
    public async Task DeadlinePassingIsDeadlineExceededAndCancelsTheHandler()
    {
        var text = $"slow-{Guid.NewGuid()}";
        // A warm connection and a budget of 1.5 s, so the deadline passes in the handler and not before the server has
        // dispatched the call: the full suite loads the machine (with 200 ms the call was once reset before it ran; with
        // 600 ms the handler was once not seen cancelled, cause unknown, hence the check that it started).
        await server.Client.UnaryAsync(EchoMethods.Say, new SayRequest { Text = "warm-up" }, Authenticated);
        var stopwatch = Stopwatch.StartNew();

        var call = () => server.Client.UnaryAsync(
            EchoMethods.Say, new SayRequest { Text = text, DelayMs = 10_000 }, Authenticated with { Deadline = TimeSpan.FromMilliseconds(1500) });

        (await call.Should().ThrowAsync<GrpcException>()).Which.StatusCode.Should().Be(GrpcStatusCode.DeadlineExceeded);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the deadline, not the handler's ten seconds, ended the call");
        server.StartedCalls.Should().Contain(text, "the handler ran before the deadline passed");
        await WaitUntilAsync(() => server.CancelledCalls.Contains(text));
    }

    [Fact]
    public async Task ServerEnforcesGrpcTimeoutByItself()
    {
        var text = $"server-deadline-{Guid.NewGuid()}";
        using var request = RawRequest(EchoMethods.Say.Path, new SayRequest { Text = text, DelayMs = 2000 });
        request.Headers.Add("grpc-timeout", "200m");
        var stopwatch = Stopwatch.StartNew();

        using var response = await SendRawAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1.5));
        response.Headers.GetValues("grpc-status").Should().Equal("4");
        server.CancelledCalls.Should().Contain(text);
    }

    [Fact]
    public async Task HandlerSeesADeadlineWhenTheClientSetsOne()
    {
        var reply = await server.Client.UnaryAsync(EchoMethods.Say, new SayRequest(), Authenticated with { Deadline = TimeSpan.FromSeconds(30) });

        reply.HasDeadline.Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bad")]
    public async Task CallWithoutAValidBearerTokenIsUnauthenticated(string? token)
    {
        var call = () => server.Client.UnaryAsync(EchoMethods.Say, new SayRequest { Text = "hi" }, new GrpcCallOptions { BearerToken = token });

        (await call.Should().ThrowAsync<GrpcException>()).Which.StatusCode.Should().Be(GrpcStatusCode.Unauthenticated);
    }

    [Fact]
    public async Task AnonymousMethodAnswersWithoutAToken()
    {
        var reply = await server.Client.UnaryAsync(EchoMethods.Ping, new SayRequest { Text = "ping" });

        reply.Text.Should().Be("ping");
        reply.User.Should().BeEmpty();
    }

    [Fact]
    public async Task ExtraMetadataReachesTheHandlerAsRequestHeaders()
    {
        var reply = await server.Client.UnaryAsync(
            EchoMethods.Ping, new SayRequest(), new GrpcCallOptions { Metadata = new Dictionary<string, string> { ["authorization"] = "Bearer from-metadata" } });

        reply.Authorization.Should().Be("Bearer from-metadata");
    }

    [Fact]
    public async Task WrongContentTypeIsHttp415()
    {
        using var request = RawRequest(EchoMethods.Ping.Path, new SayRequest());
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await SendRawAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task OversizedRequestMessageIsResourceExhausted()
    {
        var call = () => server.Client.UnaryAsync(EchoMethods.Say, new SayRequest { Text = new string('x', 5 * 1024 * 1024) }, Authenticated);

        (await call.Should().ThrowAsync<GrpcException>()).Which.StatusCode.Should().Be(GrpcStatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task UnmappedMethodIsUnimplemented()
    {
        var call = () => server.Client.UnaryAsync(EchoMethods.NotMapped, new SayRequest(), Authenticated);

        (await call.Should().ThrowAsync<GrpcException>()).Which.StatusCode.Should().Be(GrpcStatusCode.Unimplemented);
    }

    private HttpRequestMessage RawRequest(string path, SayRequest message)
    {
        var frame = new byte[5 + message.CalculateSize()];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(frame.Length - 5));
        message.WriteTo(frame.AsSpan(5));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "good");
        return request;
    }

    private static async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request)
    {
        using var http = new HttpClient();
        return await http.SendAsync(request);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 50 && !condition(); attempt++)
        {
            await Task.Delay(100);
        }
        condition().Should().BeTrue();
    }
}
