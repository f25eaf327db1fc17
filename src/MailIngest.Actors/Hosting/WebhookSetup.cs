using Akka.Cluster.Hosting;
using Akka.DependencyInjection;
using Akka.Hosting;
using MailIngest.Actors.Content;
using MailIngest.Actors.Webhooks;

namespace MailIngest.Actors.Hosting;

/// <summary>Registers the webhook singleton (and its proxy on every node) when webhooks are configured.</summary>
public static class WebhookSetup
{
    /// <summary>The singleton's name in the cluster.</summary>
    public const string SingletonName = "webhooks";

    /// <summary>Adds the singleton running <paramref name="webhooks"/>; nothing when the list is empty.</summary>
    public static AkkaConfigurationBuilder AddWebhooks(
        this AkkaConfigurationBuilder builder, IReadOnlyList<WebhookOptions> webhooks, string userAgent)
    {
        if (webhooks.Count == 0) return builder;
        // One client for the node's lifetime, whichever time the singleton starts here. Redirects are not followed: a
        // receiver that moved answers 3xx, a failed attempt shown in /status, instead of mail going somewhere else.
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        return builder.WithSingleton<WebhookDispatcher>(
            SingletonName,
            (_, _, resolver) => WebhookDispatcher.Props(webhooks, new WebhookSender(http, resolver.GetService<IContentStore>(), userAgent)),
            // The proxy warns "failed to find the singleton after 30 seconds" at every start, before the node has
            // joined (seen on a node ready in 2 s); /status shows a singleton that does not answer instead.
            new ClusterSingletonOptions { LogSingletonIdentificationFailure = false });
    }
}
