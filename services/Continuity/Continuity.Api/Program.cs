using Folio.Continuity.Api;
using Folio.Continuity.Api.Features.Rules;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddContinuity();

var app = builder.Build();
app.MapRulesApi();
app.MapDefaultEndpoints();
app.Run();
