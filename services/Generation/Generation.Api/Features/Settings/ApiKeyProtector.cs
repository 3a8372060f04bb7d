using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Folio.Generation.Api.Features.Settings;

public sealed class ApiKeyProtectionOptions
{
    public const string Section = "DataProtection";

    /// <summary>Where the key ring lives: outside the repository and outside the database holding the ciphertexts.</summary>
    public string? KeyRingPath { get; set; }
}

/// <summary>Writers' model API keys, encrypted at rest with ASP.NET Core Data Protection; decrypted only to make a call.</summary>
public sealed class ApiKeyProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("Folio.Generation.ProviderApiKey.v1");

    public byte[] Protect(string apiKey) => protector.Protect(Encoding.UTF8.GetBytes(apiKey));

    public string Unprotect(byte[] ciphertext) => Encoding.UTF8.GetString(protector.Unprotect(ciphertext));
}

public static class ApiKeyProtectionExtensions
{
    public static IHostApplicationBuilder AddApiKeyProtection(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ApiKeyProtectionOptions.Section).Get<ApiKeyProtectionOptions>() ?? new ApiKeyProtectionOptions();
        var keyRing = options.KeyRingPath
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "folio", "generation-keys");
        builder.Services.AddDataProtection()
            .SetApplicationName("folio-generation")
            .PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        builder.Services.AddSingleton<ApiKeyProtector>();
        return builder;
    }
}
