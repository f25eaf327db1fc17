using MailIngest.Actors.Storage;
using MailIngest.Host.Configuration;
using MailIngest.Smtp.Session;

namespace MailIngest.Host.Node;

/// <summary>
/// Free space of the volume that holds the data directory (the SQLite files and the spool), against
/// <see cref="StorageSettings.MinFreeBytes"/>, and whether the database lately said it is full
/// (<see cref="DatabaseSpace"/>: PostgreSQL's disk is not the node's to measure). Sessions ask on every RCPT, so the
/// volume is measured at most once per <see cref="SampleEvery"/> (one statvfs); a change between room and no room is
/// logged with the figures.
/// </summary>
public sealed class DataVolumeSpace : IStorageSpace
{
    /// <summary>How old a measurement may be before the next question measures again.</summary>
    public static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(1);

    private readonly DriveInfo _volume;
    private readonly long _minFreeBytes;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly DatabaseSpace _database;
    private readonly Lock _gate = new();
    private long _freeBytes;
    private bool _hasRoom = true;
    private long _measuredAt;

    /// <summary>
    /// Watches the volume of <paramref name="dataDirectory"/> (<paramref name="minFreeBytes"/> 0 never refuses for it)
    /// and what <paramref name="database"/> says.
    /// </summary>
    public DataVolumeSpace(string dataDirectory, long minFreeBytes, DatabaseSpace database, TimeProvider clock, ILogger<DataVolumeSpace> log)
    {
        _database = database;
        _volume = new DriveInfo(dataDirectory);
        _minFreeBytes = minFreeBytes;
        _clock = clock;
        _log = log;
        Measure(clock.GetTimestamp());
    }

    /// <inheritdoc />
    public bool HasRoom => (_minFreeBytes == 0 || Current().HasRoom) && _database.HasRoom;

    /// <summary>Why the node takes no mail, or null while it has room; for /readyz.</summary>
    public string? Shortage => _minFreeBytes > 0 && Current() is { HasRoom: false } now
        ? $"free space in the data directory ({now.FreeBytes} bytes) is below Storage:MinFreeBytes ({_minFreeBytes})"
        : _database.Shortage;

    /// <summary>The last measurement, taken again when it is <see cref="SampleEvery"/> old.</summary>
    private (long FreeBytes, bool HasRoom) Current()
    {
        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            if (_clock.GetElapsedTime(_measuredAt, now) >= SampleEvery) Measure(now);
            return (_freeBytes, _hasRoom);
        }
    }

    private void Measure(long now)
    {
        _freeBytes = _volume.AvailableFreeSpace;
        _measuredAt = now;
        var hasRoom = _freeBytes >= _minFreeBytes;
        if (hasRoom == _hasRoom) return;
        _hasRoom = hasRoom;
        if (hasRoom)
            _log.LogInformation("Data directory has room again ({Free} bytes free, minimum {Min}); taking mail", _freeBytes, _minFreeBytes);
        else
            _log.LogWarning("Data directory is low on space ({Free} bytes free, minimum {Min}): RCPT answers 452 4.3.1 and /readyz 503 until space returns",
                _freeBytes, _minFreeBytes);
    }
}
