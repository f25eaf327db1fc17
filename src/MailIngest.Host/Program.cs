using MailIngest.Host.Admin;
using MailIngest.Host.Configuration;
using MailIngest.Host.Node;

// The configuration is validated once at start and never reloaded, so nothing watches the content root: such a
// watcher also sees every write below it (a data directory inside it: each journal commit).
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
var node = SettingsLoader.Load(builder.Configuration, Console.Error);
if (node is null) return 2;

builder.UseAdminEndpoint(node.Settings.Admin.BindAddress, node.Settings.Admin.Port);
builder.Services.AddMailIngestNode(node);

var app = builder.Build();
app.UseAdminToken(node.Settings.Admin);
app.MapMetricsEndpoint();
app.MapHealthEndpoints();
app.MapStatusEndpoints();
app.MapMailboxEndpoints();
app.MapErasureEndpoints();
app.MapFeedEndpoints();
app.MapWebhookEndpoints();
app.MapDashboardPage();
app.MapDashboardEndpoints();
app.ReportEndpointsOnStart();
await app.RunAsync();
return 0;
