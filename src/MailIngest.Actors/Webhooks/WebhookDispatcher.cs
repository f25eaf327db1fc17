using Akka.Actor;
using Akka.Event;

namespace MailIngest.Actors.Webhooks;

/// <summary>
/// The cluster singleton that runs every configured webhook (one <see cref="WebhookActor"/> each), so each has one
/// sender in the cluster and moves to another node when its node leaves or dies. Answers /status from the states
/// its webhooks report.
/// </summary>
public sealed class WebhookDispatcher : ReceiveActor, IWithTimers
{
    // A webhook that stopped (its journal write or recovery failed) starts again after this.
    private static readonly TimeSpan RestartAfter = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<WebhookSpec> _specs;
    private readonly WebhookSender _sender;
    private readonly Dictionary<string, WebhookState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _webhooks = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public WebhookDispatcher(IReadOnlyList<WebhookSpec> specs, WebhookSender sender)
    {
        _specs = specs;
        _sender = sender;
        Receive<WebhookState>(state => _states[state.Name] = state);
        Receive<GetWebhookStates>(_ => Sender.Tell(new WebhookStates(_specs.Select(StateOf).ToArray())));
        Receive<ResumeWebhook>(resume =>
        {
            if (_webhooks.TryGetValue(resume.Name, out var webhook)) webhook.Forward(resume);
            else Sender.Tell(new ResumeWebhookResult(null));
        });
        Receive<Terminated>(terminated =>
        {
            var name = _webhooks.Single(pair => pair.Value.Equals(terminated.ActorRef)).Key;
            _webhooks.Remove(name);
            _log.Warning("Webhook {0} stopped; it starts again in {1}", name, RestartAfter);
            Timers.StartSingleTimer(name, new Restart(_specs.ToList().FindIndex(spec => spec.Name == name)), RestartAfter);
        });
        Receive<Restart>(restart => Start(restart.Index));
    }

    /// <summary>Props for the singleton running <paramref name="specs"/>.</summary>
    public static Props Props(IReadOnlyList<WebhookSpec> specs, WebhookSender sender) =>
        Akka.Actor.Props.Create(() => new WebhookDispatcher(specs, sender));

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    protected override void PreStart()
    {
        for (var index = 0; index < _specs.Count; index++) Start(index);
    }

    /// <inheritdoc />
    /// <remarks>A webhook that fails stops and is started again later: its state is in the journal.</remarks>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void Start(int index)
    {
        var webhook = Context.ActorOf(WebhookActor.Props(_specs[index], _sender), $"webhook-{index}");
        _webhooks[_specs[index].Name] = webhook;
        Context.Watch(webhook);
    }

    private WebhookState StateOf(WebhookSpec spec) =>
        _states.GetValueOrDefault(spec.Name) ?? new WebhookState(spec.Name, spec.DisplayUrl, "starting", 0, 0, 0, null, null, null, null);

    private sealed record Restart(int Index);
}
