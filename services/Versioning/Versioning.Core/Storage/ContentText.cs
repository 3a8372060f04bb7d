using System.Text;

namespace Folio.Versioning.Core.Storage;

/// <summary>Texts are stored as UTF-8. Strict both ways: a lone surrogate would not survive a round trip, so it is refused rather than silently replaced.</summary>
public static class ContentText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return Strict.GetBytes(text);
        }
        catch (EncoderFallbackException exception)
        {
            throw new ArgumentException("The text contains an unpaired surrogate and cannot be stored as UTF-8.", nameof(text), exception);
        }
    }

    public static string Decode(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return Strict.GetString(utf8);
        }
        catch (DecoderFallbackException exception)
        {
            throw new InvalidDataException("Stored text is not valid UTF-8.", exception);
        }
    }
}
