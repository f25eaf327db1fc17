using Akka.Actor;
using Akka.Cluster;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Dashboard;

/// <summary>
/// Reads this node's SMTP counters every <see cref="Interval"/> into a ring covering <see cref="Window"/>, and hands
/// the ring to whoever asks: the admin endpoint of any member, through <see cref="Path"/> on this node's address.
/// </summary>
public sealed class DashboardSamplerActor : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under /user, the same on every member.</summary>
    public const string Name = "dashboard-sampler";

    /// <summary>Its path below a member's address.</summary>
    public const string Path = "/user/" + Name;

    /// <summary>Time between samples.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>How far back the ring reaches.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly SampleHistory _history = new((int)(Window / Interval));
    private readonly SmtpCounters _counters;
    private readonly AuthenticationCounters _authentication;
    private readonly TimeProvider _clock;
    private readonly string _node;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the sampler.</summary>
    public static Props Props(SmtpCounters counters, AuthenticationCounters authentication, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new DashboardSamplerActor(counters, authentication, clock));

    /// <summary>Creates the sampler.</summary>
    public DashboardSamplerActor(SmtpCounters counters, AuthenticationCounters authentication, TimeProvider clock)
    {
        _counters = counters;
        _authentication = authentication;
        _clock = clock;
        _node = Cluster.Get(Context.System).SelfAddress.ToString();
        Receive<Tick>(_ => TakeSample());
        Receive<GetNodeSamples>(_ => Sender.Tell(new NodeSamples(_node, _history.ToArray())));
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        // A first sample at once: it is the baseline for the refusals of the first ten minutes.
        TakeSample();
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, Interval);
    }

    private void TakeSample() => _history.Add(new DashboardSample(
        _clock.GetUtcNow().ToUnixTimeMilliseconds(), _counters.Accepted, _counters.SessionsNow, _counters.RefusalsByCode(),
        _authentication.Totals()));

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
