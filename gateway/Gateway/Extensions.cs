using Folio.Gateway.Features.ApiKeys;
using Folio.Gateway.Features.Auth;
using Folio.Gateway.Proxy;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Redis;
using Folio.ServiceDefaults.Validation;
using Yarp.ReverseProxy.Transforms;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;

namespace Folio.Gateway;

public static class Extensions
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.AddFolioDatabase("Gateway", typeof(Extensions).Assembly);
        builder.AddFolioRedis();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);

        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AuthRateLimiter>();

        // A bearer credential is either a JWT or an API key; the key's prefix tells them apart.
        builder.Services.AddAuthentication(BearerOrApiKey.Scheme)
            .AddPolicyScheme(BearerOrApiKey.Scheme, "JWT or API key", options =>
                options.ForwardDefaultSelector = context =>
                    ApiKeyFormat.IsApiKeyHeader(context.Request.Headers.Authorization) ? ApiKeyAuthentication.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);

        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(builder.Configuration.GetSection("Cors:Origins").Get<string[]>() ?? [])
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("ETag", "Location", "Retry-After")));

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(transforms => transforms.AddRequestTransform(ApiKeyTokenExchange.ApplyAsync));
        return builder;
    }
}

internal static class BearerOrApiKey
{
    public const string Scheme = "BearerOrApiKey";
}
