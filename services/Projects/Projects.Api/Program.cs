using Folio.Projects.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddProjects();

var app = builder.Build();
app.MapProjectsApi();
app.MapDefaultEndpoints();
app.Run();
