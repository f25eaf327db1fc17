using MailIngest.Host.Admin;
using MailIngest.Host.Configuration;
using MailIngest.Host.Node;

var builder = WebApplication.CreateBuilder(args);
var settings = OptionsLoader.Load(builder.Configuration, Console.Error);
if (settings is null) return 2;

builder.UseAdminEndpoint(settings.Options.Admin.BindAddress, settings.Options.Admin.Port);
builder.Services.AddMailIngestNode(settings);

var app = builder.Build();
app.MapHealthEndpoints();
app.MapStatusEndpoints();
app.MapMailboxEndpoints();
app.ReportEndpointsOnStart();
await app.RunAsync();
return 0;
