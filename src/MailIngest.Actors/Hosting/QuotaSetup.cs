using Akka.Hosting;
using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Hosting;

/// <summary>Keeps the node's list of full mailboxes, which its SMTP sessions read at RCPT TO.</summary>
public static class QuotaSetup
{
    /// <summary>
    /// Starts the keeper of <paramref name="board"/>, whatever this node's own quota: the limits are the mailboxes' to
    /// apply, and a node of a rolling configuration change still hears what they say.
    /// </summary>
    public static AkkaConfigurationBuilder AddQuotaBoard(this AkkaConfigurationBuilder builder, QuotaBoard board) =>
        builder.WithActors((system, _) => system.ActorOf(QuotaBoardActor.Props(board), "quota-board"));
}
