using Folio.Gateway.Features.ApiKeys;
using Folio.Gateway.Features.Auth;
using Folio.Gateway.Proxy;
using Folio.ServiceDefaults.Data;
using Folio.ServiceDefaults.Redis;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Yarp.ReverseProxy.Transforms;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
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
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AuthRateLimiter>();

        // Proxied requests carry JWTs that the services validate themselves, so by default the gateway only looks
        // for API keys (a prefix check for anything else); its own endpoints accept either credential.
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().SetDefaultPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme, ApiKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .Build());

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
