using Folio.Projects.Api;
using Folio.Projects.Api.Features.Projects;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddProjects();

var app = builder.Build();
app.MapProjectsApi();
app.MapDefaultEndpoints();
app.Run();
