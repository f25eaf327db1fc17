using System.Diagnostics;

namespace MailIngest.Testing;

/// <summary>
/// Shell processes that spin on the CPU (<c>while :; do :; done</c>), started by the test and killed by their PID on
/// dispose: the machine is saturated for as long as a test needs it.
/// </summary>
public sealed class CpuBurner : IDisposable
{
    private readonly Process[] _burners;

    private CpuBurner(int count)
    {
        _burners = Enumerable.Range(0, count)
            .Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]))
                         ?? throw new InvalidOperationException("sh did not start"))
            .ToArray();
    }

    /// <summary>Starts <paramref name="count"/> spinning processes.</summary>
    public static CpuBurner Start(int count) => new(count);

    /// <summary>Kills the spinning processes.</summary>
    public void Dispose()
    {
        foreach (var burner in _burners)
        {
            if (!burner.HasExited) burner.Kill();
            burner.WaitForExit();
            burner.Dispose();
        }
    }
}
