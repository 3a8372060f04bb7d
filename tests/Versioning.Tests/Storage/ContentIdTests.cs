using System.Text;
using Folio.Versioning.Core.Storage;

namespace Folio.Versioning.Tests.Storage;

public sealed class ContentIdTests
{
    [Fact]
    public void A_text_id_is_the_sha256_of_its_utf8_in_lowercase_hex()
    {
        ContentId.OfText(Encoding.UTF8.GetBytes("abc")).ToString()
            .Should().Be("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        ContentId.OfText([]).ToString().Should().Be("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public void Parsing_round_trips_and_accepts_upper_case()
    {
        var id = ContentId.OfText("x"u8);

        ContentId.Parse(id.ToString().ToUpperInvariant()).Should().Be(id);
        ContentId.Read(id.ToBytes()).Should().Be(id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00")]
    public void Malformed_ids_do_not_parse(string? text)
    {
        ContentId.TryParse(text, out _).Should().BeFalse();
    }
}
