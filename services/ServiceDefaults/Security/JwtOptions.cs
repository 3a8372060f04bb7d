using System.ComponentModel.DataAnnotations;
using Microsoft.IdentityModel.Tokens;

namespace Folio.ServiceDefaults.Security;

/// <summary>
/// The gateway signs, every service validates, with the same settings (section <c>Jwt</c>).
/// The key is base64 of at least 32 random bytes and never lives in the repository.
/// </summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";

    [Required]
    public string Issuer { get; set; } = "folio";

    [Required]
    public string Audience { get; set; } = "folio";

    [Required]
    public string SigningKey { get; set; } = "";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    public SymmetricSecurityKey CreateSigningKey()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            throw new InvalidOperationException("Jwt:SigningKey is not set. Give it base64 of at least 32 random bytes (./run.sh generates one outside the repository).");
        }

        var bytes = Convert.FromBase64String(SigningKey);
        if (bytes.Length < 32)
        {
            throw new InvalidOperationException("Jwt:SigningKey must decode to at least 32 bytes.");
        }

        return new SymmetricSecurityKey(bytes);
    }
}
