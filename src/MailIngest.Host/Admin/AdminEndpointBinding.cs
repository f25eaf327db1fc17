using System.Net;
using MailIngest.Host.Configuration;
using MailIngest.Host.Node;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MailIngest.Host.Admin;

/// <summary>Binds Kestrel to the admin address and records the port it got (port 0 picks one).</summary>
public static class AdminEndpointBinding
{
    /// <summary>Listens on MailIngest:Admin:BindAddress / Port.</summary>
    public static WebApplicationBuilder UseAdminEndpoint(this WebApplicationBuilder builder, string bindAddress, int port)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(bindAddress), port));
        return builder;
    }

    /// <summary>
    /// Requires the bearer token when one is configured; without one, an admin endpoint reachable from other machines
    /// serves every stored message to whoever asks, which is logged as a warning.
    /// </summary>
    public static WebApplication UseAdminToken(this WebApplication app, AdminSettings admin)
    {
        if (!string.IsNullOrEmpty(admin.Token))
        {
            app.UseMiddleware<AdminTokenMiddleware>(admin.Token);
        }
        else if (!IPAddress.IsLoopback(IPAddress.Parse(admin.BindAddress)))
        {
            app.Logger.LogWarning("The admin endpoint listens on {Address} without MailIngest:Admin:Token: /api/ and /status are open to the network",
                admin.BindAddress);
        }

        return app;
    }

    /// <summary>After start, stores the bound admin endpoint and logs every endpoint in one line for scripts and tests.</summary>
    public static WebApplication ReportEndpointsOnStart(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var state = app.Services.GetRequiredService<NodeState>();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var uri = new Uri(address);
            state.AdminEndpoint = new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
            var cluster = Akka.Cluster.Cluster.Get(app.Services.GetRequiredService<Akka.Actor.ActorSystem>()).SelfAddress;
            app.Logger.LogInformation("MailIngest listening: smtp={Smtp} smtps={Smtps} admin={Admin} cluster={Cluster}",
                state.SmtpEndpoint, state.SmtpsEndpoint?.ToString() ?? "off", state.AdminEndpoint, cluster);
        });
        return app;
    }
}
