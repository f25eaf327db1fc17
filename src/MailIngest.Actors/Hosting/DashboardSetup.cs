using Akka.Hosting;
using MailIngest.Actors.Dashboard;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Hosting;

/// <summary>The dashboard's sampler, at the same path on every member.</summary>
public static class DashboardSetup
{
    /// <summary>Starts <see cref="DashboardSamplerActor"/> over the node's <see cref="SmtpCounters"/>.</summary>
    public static AkkaConfigurationBuilder AddDashboardSampler(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, _, resolver) => system.ActorOf(
            DashboardSamplerActor.Props(resolver.GetService<SmtpCounters>(), resolver.GetService<AuthenticationCounters>(), resolver.GetService<TimeProvider>()), DashboardSamplerActor.Name));
}
