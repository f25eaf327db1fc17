namespace MailIngest.Testing;

/// <summary>
/// A tmpfs of a fixed size mounted on a fresh directory, for tests that fill a volume. Mounting needs root (CI runs
/// as root); unmounted and removed on dispose, after the processes that used it have stopped.
/// </summary>
public sealed class SmallVolume : IDisposable
{
    private readonly TempDirectory _directory = new();

    private SmallVolume()
    {
    }

    /// <summary>The mount point.</summary>
    public string Path => _directory.Path;

    /// <summary>Bytes this process may still write to the volume.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on a new directory.</summary>
    public static async Task<SmallVolume> MountAsync(long bytes)
    {
        var volume = new SmallVolume();
        var (exitCode, output) = await ExternalTool.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", volume.Path]);
        if (exitCode != 0)
        {
            volume._directory.Dispose();
            throw new InvalidOperationException($"mount -t tmpfs failed ({exitCode}); the test needs root: {output}");
        }

        return volume;
    }

    /// <summary>Writes a file of <paramref name="bytes"/> real (not sparse) bytes, so the volume's free space drops by as much.</summary>
    public async Task<string> FillAsync(string name, long bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        var block = new byte[1024 * 1024];
        await using var file = File.Create(path);
        for (var left = bytes; left > 0; left -= block.Length) await file.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, left)));
        return path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ExternalTool.RunAsync("umount", [Path]).GetAwaiter().GetResult();
        _directory.Dispose();
    }
}
