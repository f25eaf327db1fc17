using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;

namespace MailIngest.Actors.Mailboxes;

/// <summary>Keeps the node's <see cref="QuotaBoard"/> up to date from what mailboxes publish.</summary>
public sealed class QuotaBoardActor : ReceiveActor
{
    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public QuotaBoardActor(QuotaBoard board)
    {
        Receive<MailboxQuotaChanged>(board.Apply);
        Receive<SubscribeAck>(_ => { });
    }

    /// <summary>Props for the node's one board keeper.</summary>
    public static Props Props(QuotaBoard board) => Akka.Actor.Props.Create(() => new QuotaBoardActor(board));

    /// <inheritdoc />
    protected override void PreStart() =>
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(QuotaBoard.Topic, Self));
}
