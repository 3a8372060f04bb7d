using Folio.ServiceDefaults.Grpc;
using Folio.Testing.V1;
using Google.Protobuf;

namespace Folio.ServiceDefaults.Tests.Grpc;

public sealed class GrpcMethodTests
{
    [Fact]
    public void MethodExposesPathKindAndParsers()
    {
        var method = GrpcMethod.ServerStreaming<CountRequest, CountReply>(EchoReflection.Descriptor, "Echo", "Count");

        method.Path.Should().Be("/folio.testing.v1.Echo/Count");
        method.Kind.Should().Be(GrpcMethodKind.ServerStreaming);
        method.ResponseParser.ParseFrom(new CountReply { Number = 3 }.ToByteArray()).Number.Should().Be(3);
    }

    [Fact]
    public void UnknownServiceOrMethodIsRejected()
    {
        FluentActions.Invoking(() => GrpcMethod.Unary<SayRequest, SayReply>(EchoReflection.Descriptor, "Nope", "Say"))
            .Should().Throw<ArgumentException>().WithMessage("*Nope*");
        FluentActions.Invoking(() => GrpcMethod.Unary<SayRequest, SayReply>(EchoReflection.Descriptor, "Echo", "Nope"))
            .Should().Throw<ArgumentException>().WithMessage("*Nope*");
    }

    [Fact]
    public void MessageTypesMustMatchTheDescriptor()
    {
        FluentActions.Invoking(() => GrpcMethod.Unary<CountRequest, SayReply>(EchoReflection.Descriptor, "Echo", "Say"))
            .Should().Throw<ArgumentException>().WithMessage("*folio.testing.v1.SayRequest*");
        FluentActions.Invoking(() => GrpcMethod.Unary<SayRequest, CountReply>(EchoReflection.Descriptor, "Echo", "Say"))
            .Should().Throw<ArgumentException>().WithMessage("*folio.testing.v1.SayReply*");
    }

    [Fact]
    public void StreamingKindMustMatchTheDescriptor()
    {
        FluentActions.Invoking(() => GrpcMethod.Unary<CountRequest, CountReply>(EchoReflection.Descriptor, "Echo", "Count"))
            .Should().Throw<ArgumentException>().WithMessage("*ServerStreaming*");
        FluentActions.Invoking(() => GrpcMethod.ServerStreaming<SayRequest, SayReply>(EchoReflection.Descriptor, "Echo", "Say"))
            .Should().Throw<ArgumentException>().WithMessage("*Unary*");
    }
}
