using System.Net;
using Akka.Event;
using MailIngest.Actors.Sessions;
using MailIngest.Smtp.Replies;

namespace MailIngest.Actors.Specs.Sessions;

public sealed class ReplyBatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(200);
    private readonly ReplyBatch _batch = new(NoLogger.Instance);

    [Fact]
    public async Task Replies_added_between_writes_go_out_in_one_write()
    {
        var wire = new RecordingStream();
        _batch.Add(SmtpReplies.SenderOk);
        _batch.Add(SmtpReplies.RecipientOk);

        Assert.True(await _batch.WriteAsync(wire, Timeout, IPAddress.Loopback));
        Assert.True(await _batch.WriteAsync(wire, Timeout, IPAddress.Loopback));

        Assert.Equal(["250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"], wire.Writes);
    }

    [Fact]
    public async Task A_write_the_client_makes_no_room_for_fails_after_the_timeout_and_the_batch_starts_empty()
    {
        var stuck = new RecordingStream { Stuck = true };
        _batch.Add(SmtpReplies.SenderOk);

        Assert.False(await _batch.WriteAsync(stuck, Timeout, IPAddress.Loopback));

        var wire = new RecordingStream();
        _batch.Add(SmtpReplies.RecipientOk);
        Assert.True(await _batch.WriteAsync(wire, Timeout, IPAddress.Loopback));
        Assert.Equal(["250 2.1.5 Ok\r\n"], wire.Writes);
    }

    /// <summary>Records each write; when stuck, no write ever completes (a client that does not read).</summary>
    private sealed class RecordingStream : MemoryStream
    {
        public List<string> Writes { get; } = [];

        public bool Stuck { get; init; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Stuck) return new ValueTask(Task.Delay(System.Threading.Timeout.Infinite, cancellationToken));
            Writes.Add(System.Text.Encoding.ASCII.GetString(buffer.Span));
            return ValueTask.CompletedTask;
        }
    }
}
