using MailIngest.Actors.Dashboard;

namespace MailIngest.Actors.Specs.Dashboard;

/// <summary>The sampler's ring: bounded, oldest first.</summary>
public sealed class SampleHistoryTests
{
    private static DashboardSample At(long at) => new(at, at, 0, new Dictionary<int, long>());

    [Fact]
    public void History_returns_what_it_holds_oldest_first_before_it_is_full()
    {
        // Arrange
        var history = new SampleHistory(5);

        // Act
        history.Add(At(1));
        history.Add(At(2));

        // Assert
        Assert.Equal([1, 2], history.ToArray().Select(sample => sample.At));
    }

    [Fact]
    public void History_keeps_only_the_latest_samples_once_full()
    {
        // Arrange
        var history = new SampleHistory(3);

        // Act
        for (var at = 1; at <= 8; at++) history.Add(At(at));

        // Assert
        Assert.Equal([6, 7, 8], history.ToArray().Select(sample => sample.At));
    }

    [Fact]
    public void History_is_empty_before_the_first_sample() => Assert.Empty(new SampleHistory(3).ToArray());
}
