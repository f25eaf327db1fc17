using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using MailIngest.Actors.Transport;
using MailIngest.Smtp.Session;
using static MailIngest.Testing.ProxyHeaders;

namespace MailIngest.Actors.Specs.Transport;

/// <summary>The opener over an in-memory pipe, with a probe playing the listener.</summary>
public sealed class ConnectionOpenerSpecs : TestKit
{
    private static readonly IPAddress Balancer = IPAddress.Parse("10.0.0.9");
    private static readonly ConnectionInfo FromBalancer = new(Balancer, IsTrusted: false);
    private readonly Pipe _wire = new();

    private ConnectionOpener Opener(IActorRef listener, TimeSpan timeout) => new(listener, implicitTls: null, timeout, NoLogger.Instance);

    private Task<OpenedConnection?> OpenBehindBalancer(IActorRef listener, TimeSpan timeout) =>
        Opener(listener, timeout).OpenAsync(Stream.Null, _wire.Reader, FromBalancer, admission: null, TestActor, CancellationToken.None);

    [Fact]
    public async Task Opener_hands_over_at_once_when_the_listener_already_admitted_the_peer()
    {
        var listener = CreateTestProbe();

        var opened = await Opener(listener, TimeSpan.FromSeconds(5))
            .OpenAsync(Stream.Null, _wire.Reader, FromBalancer, Admission.NodeFull, TestActor, CancellationToken.None);

        Assert.Equal(new OpenedConnection(Stream.Null, _wire.Reader, FromBalancer, Admission.NodeFull, Tls: null), opened);
        listener.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Opener_reads_a_header_split_across_writes_and_asks_about_the_client_it_names()
    {
        var listener = CreateTestProbe();
        var header = Version1("203.0.113.7");
        var opening = OpenBehindBalancer(listener, TimeSpan.FromSeconds(5));

        await _wire.Writer.WriteAsync(header.AsMemory(0, 10));
        await _wire.Writer.WriteAsync(header.AsMemory(10));
        await _wire.Writer.WriteAsync("EHLO"u8.ToArray());
        var admit = listener.ExpectMsg<ListenerProtocol.Admit>();
        listener.Reply(new ListenerProtocol.Admitted(Admission.ClientFull, Trusted: true));
        var opened = await opening;

        Assert.Equal(new ListenerProtocol.Admit(IPAddress.Parse("203.0.113.7"), TestActor), admit);
        Assert.Equal(new ConnectionInfo(IPAddress.Parse("203.0.113.7"), IsTrusted: true), opened!.Connection);
        Assert.Equal(Admission.ClientFull, opened.Admission);
        var rest = await opened.Input.ReadAsync();
        Assert.Equal("EHLO"u8.ToArray(), rest.Buffer.ToArray());
    }

    [Fact]
    public async Task Opener_asks_about_the_balancer_when_the_header_names_no_client()
    {
        var listener = CreateTestProbe();
        var opening = OpenBehindBalancer(listener, TimeSpan.FromSeconds(5));

        await _wire.Writer.WriteAsync(Version2(0, 0x00, []));

        Assert.Equal(Balancer, listener.ExpectMsg<ListenerProtocol.Admit>().Client);
        listener.Reply(new ListenerProtocol.Admitted(Admission.Accept, Trusted: false));
        Assert.Equal(FromBalancer, (await opening)!.Connection);
    }

    [Theory]
    [InlineData("EHLO client.example.org\r\n")]
    [InlineData("PROXY TCP4 not-an-address 10.0.0.1 56324 25\r\n")]
    public async Task Opener_closes_without_asking_when_the_header_is_not_valid(string input)
    {
        var listener = CreateTestProbe();
        var opening = OpenBehindBalancer(listener, TimeSpan.FromSeconds(5));

        await _wire.Writer.WriteAsync(System.Text.Encoding.ASCII.GetBytes(input));

        Assert.Null(await opening);
        listener.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Opener_closes_when_the_peer_leaves_in_the_middle_of_the_header()
    {
        var opening = OpenBehindBalancer(CreateTestProbe(), TimeSpan.FromSeconds(5));

        await _wire.Writer.WriteAsync(Version1("203.0.113.7").AsMemory(0, 12));
        await _wire.Writer.CompleteAsync();

        Assert.Null(await opening);
    }

    [Fact]
    public async Task Opener_closes_when_no_header_comes_within_the_timeout()
    {
        var opening = OpenBehindBalancer(CreateTestProbe(), TimeSpan.FromMilliseconds(200));

        Assert.Null(await opening.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Opener_closes_when_the_listener_does_not_answer_within_the_timeout()
    {
        var listener = CreateTestProbe();
        var opening = OpenBehindBalancer(listener, TimeSpan.FromMilliseconds(500));

        await _wire.Writer.WriteAsync(Version1("203.0.113.7"));
        listener.ExpectMsg<ListenerProtocol.Admit>();

        Assert.Null(await opening.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
