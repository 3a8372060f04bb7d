using System.Text;
using Folio.ServiceDefaults.Http;

namespace Folio.Versioning.Api.Features.History;

public static class TextRules
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Chapter texts are stored as UTF-8 and addressed by their hash, so text that cannot be encoded (a lone surrogate) is refused up front.</summary>
    public static string EnsureStorable(string text, Guid chapterId)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
            return text;
        }
        catch (EncoderFallbackException)
        {
            throw ProblemException.BadRequest($"The text of chapter {chapterId} contains an invalid Unicode sequence (an unpaired surrogate).");
        }
    }
}
