using Folio.Gateway;
using Folio.Gateway.Features.ApiKeys;
using Folio.Gateway.Features.Auth;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseCors();
app.MapAuthApi();
app.MapApiKeysApi();
app.MapReverseProxy();
app.MapDefaultEndpoints();
app.Run();
