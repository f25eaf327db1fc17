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

    private readonly IReadOnlyList<WebhookOptions> _options;
    private readonly WebhookSender _sender;
    private readonly Dictionary<string, WebhookState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _webhooks = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public WebhookDispatcher(IReadOnlyList<WebhookOptions> options, WebhookSender sender)
    {
        _options = options;
        _sender = sender;
        Receive<WebhookState>(state => _states[state.Name] = state);
        Receive<GetWebhookStates>(_ => Sender.Tell(new WebhookStates(_options.Select(StateOf).ToArray())));
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
            Timers.StartSingleTimer(name, new Restart(_options.ToList().FindIndex(webhook => webhook.Name == name)), RestartAfter);
        });
        Receive<Restart>(restart => Start(restart.Index));
    }

    /// <summary>Props for the singleton running <paramref name="options"/>.</summary>
    public static Props Props(IReadOnlyList<WebhookOptions> options, WebhookSender sender) =>
        Akka.Actor.Props.Create(() => new WebhookDispatcher(options, sender));

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    protected override void PreStart()
    {
        for (var index = 0; index < _options.Count; index++) Start(index);
    }

    /// <inheritdoc />
    /// <remarks>A webhook that fails stops and is started again later: its state is in the journal.</remarks>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void Start(int index)
    {
        var webhook = Context.ActorOf(WebhookActor.Props(_options[index], _sender), $"webhook-{index}");
        _webhooks[_options[index].Name] = webhook;
        Context.Watch(webhook);
    }

    private WebhookState StateOf(WebhookOptions options) =>
        _states.GetValueOrDefault(options.Name) ?? new WebhookState(options.Name, options.DisplayUrl, "starting", 0, 0, 0, null, null, null, null);

    private sealed record Restart(int Index);
}
