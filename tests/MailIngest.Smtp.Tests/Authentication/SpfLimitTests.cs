using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

/// <summary>RFC 7208 §4.6.4's limits, and DNS failures (§4.4, §5).</summary>
public sealed class SpfLimitTests
{
    private const string Client = "192.0.2.3";

    private static string Terms(int count, Func<int, string> term) => string.Join(' ', Enumerable.Range(1, count).Select(term));

    [Theory]
    [InlineData(10, AuthResult.Fail)]
    [InlineData(11, AuthResult.PermError)]
    public async Task Eleventh_dns_querying_term_is_a_permanent_error(int terms, AuthResult result)
    {
        var zone = new ZoneLookup().Txt("example.com", $"v=spf1 {Terms(terms, n => $"a:h{n}.example.com")} -all");
        for (var n = 1; n <= terms; n++) zone.Address($"h{n}.example.com", "198.51.100.1");

        var verdict = await zone.CheckAsync(Client, "user@example.com");

        Assert.Equal(result, verdict.Result);
        if (result == AuthResult.PermError) Assert.Equal("too many DNS lookups", verdict.Reason);
    }

    [Theory]
    [InlineData("v=spf1 a:e1.example.org -all", AuthResult.Fail)]
    [InlineData("v=spf1 a:e1.example.org a:e2.example.org -all", AuthResult.PermError)]
    public async Task Lookups_are_counted_across_include_and_redirect(string redirected, AuthResult result)
    {
        // include + 3 inside it + 4 + redirect = 9 terms before the redirected record's own.
        var zone = new ZoneLookup()
            .Txt("example.com", $"v=spf1 include:a.example.org {Terms(4, n => $"a:e{n}.example.org")} redirect=b.example.org")
            .Txt("a.example.org", $"v=spf1 {Terms(3, n => $"a:e{n}.example.org")}")
            .Txt("b.example.org", redirected);
        for (var n = 1; n <= 4; n++) zone.Address($"e{n}.example.org", "127.0.0.1");

        Assert.Equal(result, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }

    [Fact]
    public async Task Include_loop_ends_in_a_permanent_error()
    {
        var zone = new ZoneLookup().Txt("example.com", "v=spf1 include:example.com -all");

        Assert.Equal(AuthResult.PermError, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }

    [Fact]
    public async Task Terms_without_dns_do_not_count()
    {
        var zone = new ZoneLookup().Txt("example.com", $"v=spf1 {Terms(20, n => $"ip4:198.51.100.{n}")} -all exp=e.example.com");

        Assert.Equal(AuthResult.Fail, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }

    [Theory]
    [InlineData(2, AuthResult.Fail)]
    [InlineData(3, AuthResult.PermError)]
    public async Task Third_void_lookup_is_a_permanent_error(int voids, AuthResult result)
    {
        // NXDOMAIN and NODATA (a name with only a TXT record) are both void.
        var zone = new ZoneLookup()
            .Txt("example.com", $"v=spf1 {Terms(voids, n => $"a:v{n}.example.com")} -all")
            .Txt("v2.example.com", "not spf");

        Assert.Equal(result, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }

    [Theory]
    [InlineData(10, AuthResult.Pass)]
    [InlineData(11, AuthResult.PermError)]
    public async Task More_than_ten_mx_names_is_a_permanent_error(int exchanges, AuthResult result)
    {
        var zone = new ZoneLookup()
            .Txt("example.com", "v=spf1 mx -all")
            .Mx("example.com", Enumerable.Range(1, exchanges).Select(n => $"mx{n}.example.com").ToArray())
            .Address("mx1.example.com", Client);

        Assert.Equal(result, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }

    [Fact]
    public async Task Ptr_names_after_the_tenth_are_ignored()
    {
        var names = Enumerable.Range(1, 11).Select(n => $"h{n}.example.com").ToArray();
        var zone = new ZoneLookup().Txt("example.com", "v=spf1 ptr -all").Ptr(Client, names).Address("h11.example.com", Client);

        Assert.Equal(AuthResult.Fail, (await zone.CheckAsync(Client, "user@example.com")).Result);
        Assert.Equal(1 + 1 + 10, zone.Queries); // TXT, PTR, and A for the first ten names only
    }

    [Theory]
    [InlineData("v=spf1 -all", "example.com")]
    [InlineData("v=spf1 a:down.example.net -all", "down.example.net")]
    [InlineData("v=spf1 mx:mail.example.net -all", "mx.example.net")]
    [InlineData("v=spf1 exists:down.example.net -all", "down.example.net")]
    [InlineData("v=spf1 include:down.example.net -all", "down.example.net")]
    [InlineData("v=spf1 redirect=down.example.net", "down.example.net")]
    public async Task Dns_timeout_is_a_temporary_error(string record, string failing)
    {
        var zone = new ZoneLookup()
            .Txt("example.com", record)
            .Mx("mail.example.net", "mx.example.net")
            .Failing(failing);

        var verdict = await zone.CheckAsync(Client, "user@example.com");

        Assert.Equal(AuthResult.TempError, verdict.Result);
        Assert.StartsWith($"DNS timeout for {failing}", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ptr_timeout_is_no_match_as_section_5_5_says()
    {
        var zone = new ZoneLookup().Txt("example.com", "v=spf1 ptr -all").Failing(Client);

        Assert.Equal(AuthResult.Fail, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }
}
