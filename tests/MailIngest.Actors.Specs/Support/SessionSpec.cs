using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using MailIngest.Actors.Delivery;
using MailIngest.Actors.Sessions;
using MailIngest.Actors.Storage;
using MailIngest.Actors.Storage.Sqlite;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp.Session;
using MailIngest.Smtp;
using MailIngest.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Support;

/// <summary>
/// Session actors on real loopback sockets, delivering through a real <see cref="MessageDelivery"/> to the
/// real mailbox region and a SQLite content store in its own file.
/// </summary>
public abstract class SessionSpec : OneNodeClusterTestKit
{
    /// <summary>The server's name in replies.</summary>
    protected const string HostName = "mx.spec.test";

    /// <summary>
    /// Far above a journal write even on a loaded CI machine (one took 3.2 s there while the image tests ran), so only
    /// the specs that break the journal on purpose see the 451; they wait this long for it.
    /// </summary>
    protected static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A complete message with the headers the summary parser reads.</summary>
    protected const string Message =
        "From: Alice <alice@example.org>\r\n" +
        "To: bob@example.org, carol@example.org\r\n" +
        "Subject: Spec message\r\n" +
        "Message-ID: <spec-1@example.org>\r\n" +
        "Date: Wed, 01 Jan 2025 12:00:00 +0000\r\n" +
        "\r\n" +
        "Hello from the session specs.\r\n";

    /// <summary>Creates the spec; the journal connection string decides whether persisting can succeed.</summary>
    protected SessionSpec(SpecDatabase database, string journalConnectionString, ITestOutputHelper output)
        : base(database, journalConnectionString, output)
    {
    }

    /// <summary>The counters shared by the spec's sessions.</summary>
    protected SmtpCounters Counters { get; } = new();

    /// <summary>Connects a client and starts a session actor on the accepted socket; the greeting is not read yet.</summary>
    protected async Task<(IActorRef Session, RawSmtpClient Client)> StartSessionAsync()
    {
        var smtp = new SmtpOptions { HostName = HostName };
        var delivery = new MessageDelivery(ContentStore, Region, smtp, DeliveryTimeout,
            new DatabaseSpace(TimeProvider.System, NullLogger<DatabaseSpace>.Instance), new DeliveryCounters(), new MembershipLog(),
            TimeProvider.System, NullLogger<MessageDelivery>.Instance);
        var deps = new SessionDependencies(smtp, delivery, Counters, new NodeStatusSource(Sys, Counters, TimeProvider.System),
            Database.SpoolDirectory, SpoolMemoryThreshold: 64 * 1024, MaxSessionDuration: TimeSpan.FromMinutes(30), RateLimit: null, Storage: null, Quota: null,
            Tls: null);
        var (client, server) = await RawSmtpClient.ConnectPairAsync();
        var remote = (IPEndPoint)server.RemoteEndPoint!;
        var connection = new ConnectionInfo(remote.Address, IsTrusted: false);
        var session = Sys.ActorOf(SessionActor.Props(new NetworkStream(server, ownsSocket: true), connection, deps, Admission.Accept, implicitTls: false));
        return (session, client);
    }

    /// <summary>Greeting, EHLO, MAIL, each RCPT and DATA, one command per write, asserting each positive reply.</summary>
    protected static async Task OpenTransactionAsync(RawSmtpClient client, params string[] recipients)
    {
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        await client.SendAsync("EHLO client.example.org\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());
        await client.SendAsync("MAIL FROM:<alice@example.org>\r\n");
        Assert.StartsWith("250 2.1.0", await client.ReadReplyAsync());
        foreach (var recipient in recipients)
        {
            await client.SendAsync($"RCPT TO:<{recipient}>\r\n");
            Assert.StartsWith("250 2.1.5", await client.ReadReplyAsync());
        }

        await client.SendAsync("DATA\r\n");
        Assert.StartsWith("354", await client.ReadReplyAsync());
    }
}
