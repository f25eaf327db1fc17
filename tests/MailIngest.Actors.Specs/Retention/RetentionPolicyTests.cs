using MailIngest.Actors.Retention;

namespace MailIngest.Actors.Specs.Retention;

public sealed class RetentionPolicyTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public void A_domain_of_its_own_overrides_the_default_in_any_case_and_null_keeps_forever()
    {
        // Arrange
        var policy = new RetentionPolicy(Week, new Dictionary<string, TimeSpan?>
        {
            ["Short.example.com"] = TimeSpan.FromHours(1),
            ["archive.example.com"] = null,
        });

        // Act / Assert
        Assert.Equal(Week, policy.MaxAgeOf("anyone@example.org"));
        Assert.Equal(TimeSpan.FromHours(1), policy.MaxAgeOf("a@short.example.com"));
        Assert.Null(policy.MaxAgeOf("a@archive.example.com"));
        Assert.Equal(Week, policy.MaxAgeOf("a@sub.short.example.com"));
        Assert.True(policy.ExpiresAnything);
    }

    [Theory]
    [InlineData(7 * 24 * 3600, 7 * 24 * 3600 / 80)]
    [InlineData(3600, 45)]
    [InlineData(1200, 15)]
    [InlineData(6, 15)]
    public void The_sweep_runs_at_a_quarter_of_the_delay_the_age_allows_a_minute_or_5_percent(int maxAgeSeconds, int intervalSeconds)
    {
        var policy = new RetentionPolicy(TimeSpan.FromSeconds(maxAgeSeconds), new Dictionary<string, TimeSpan?> { ["kept.example.com"] = null });

        Assert.Equal(TimeSpan.FromSeconds(intervalSeconds), policy.SweepInterval);
    }

    [Fact]
    public void Without_any_age_nothing_expires()
    {
        var policy = new RetentionPolicy(null, new Dictionary<string, TimeSpan?> { ["archive.example.com"] = null });

        Assert.False(policy.ExpiresAnything);
        Assert.Null(policy.MaxAgeOf("a@example.com"));
    }
}
