namespace MailIngest.LoadGen;

/// <summary>Opens many connections, says EHLO on each, and holds them open (the idle-memory scenario).</summary>
public static class IdleConnections
{
    /// <summary>Holds <paramref name="count"/> connections for <paramref name="hold"/>; returns how many opened.</summary>
    public static async Task<int> HoldAsync(string host, int port, int count, TimeSpan hold)
    {
        using var bound = new CancellationTokenSource(hold);
        var open = new List<SmtpConnection>(count);
        try
        {
            for (var i = 0; i < count && !bound.IsCancellationRequested; i += 100)
            {
                var batch = await Task.WhenAll(Enumerable.Range(i, Math.Min(100, count - i)).Select(async _ =>
                {
                    try
                    {
                        return await SmtpConnection.OpenAsync(host, port, bound.Token);
                    }
                    catch (Exception error) when (error is SmtpException or IOException or OperationCanceledException)
                    {
                        return null;
                    }
                }));
                open.AddRange(batch.OfType<SmtpConnection>());
            }

            Console.WriteLine($"IDLE open={open.Count}");
            await Task.Delay(Timeout.Infinite, bound.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return open.Count;
        }
        finally
        {
            foreach (var connection in open) await connection.DisposeAsync();
        }
    }
}
