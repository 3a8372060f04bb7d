using Folio.Continuity.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddContinuity();

var app = builder.Build();
app.MapContinuityApi();
app.MapDefaultEndpoints();
app.Run();
