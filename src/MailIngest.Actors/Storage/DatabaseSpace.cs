using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MailIngest.Actors.Storage;

/// <summary>
/// Whether the database lately said it is out of space. The node cannot see PostgreSQL's disk, so its errors are the
/// signal: a write that failed with PostgreSQL's disk_full (53100) or SQLite's SQLITE_FULL makes the node answer
/// 452 4.3.1 at RCPT for <see cref="RetryAfter"/>, then let mail try again; a write that fails again starts the wait
/// again. Space coming back (a deletion, retention, a bigger disk) therefore needs no restart.
/// </summary>
public sealed class DatabaseSpace(TimeProvider clock, ILogger<DatabaseSpace> log)
{
    /// <summary>How long after an out-of-space error the node refuses mail before it tries again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private const string PostgresDiskFull = "53100";
    private const int SqliteFull = 13;

    private long _fullAt = long.MinValue;
    private string _reason = "";

    /// <summary>False within <see cref="RetryAfter"/> of an out-of-space error.</summary>
    public bool HasRoom => Interlocked.Read(ref _fullAt) is var at && (at == long.MinValue || clock.GetElapsedTime(at) >= RetryAfter);

    /// <summary>Why the node takes no mail now, or null; for /readyz.</summary>
    public string? Shortage => HasRoom ? null : $"the database is out of space ({_reason})";

    /// <summary>True, and the node refuses mail for a while, when <paramref name="error"/> is the database saying it is full.</summary>
    public bool Observe(Exception error)
    {
        if (Find(error) is not { } full) return false;
        var wasFull = !HasRoom;
        _reason = full.Message;
        Interlocked.Exchange(ref _fullAt, clock.GetTimestamp());
        if (!wasFull)
            log.LogWarning("The database is out of space ({Reason}): RCPT answers 452 4.3.1 and /readyz 503 for {Seconds} s, then mail is tried again",
                full.Message, RetryAfter.TotalSeconds);
        return true;
    }

    private static Exception? Find(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is PostgresException { SqlState: PostgresDiskFull } or SqliteException { SqliteErrorCode: SqliteFull }) return error;
            if (error is AggregateException aggregate) return aggregate.InnerExceptions.Select(Find).FirstOrDefault(found => found is not null);
        }

        return null;
    }
}
