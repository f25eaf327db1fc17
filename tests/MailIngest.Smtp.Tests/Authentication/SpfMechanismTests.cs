using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

public sealed class SpfMechanismTests
{
    private const string Client = "192.0.2.3";
    private const string Client6 = "2001:db8::cb01";
    private const string Sender = "user@example.com";

    private static Task<SpfVerdict> CheckAsync(string record, ZoneLookup? zone = null, string client = Client) =>
        (zone ?? new ZoneLookup()).Txt("example.com", record).CheckAsync(client, Sender);

    [Theory]
    [InlineData("v=spf1 all", AuthResult.Pass)]
    [InlineData("v=spf1 +all", AuthResult.Pass)]
    [InlineData("v=spf1 -all", AuthResult.Fail)]
    [InlineData("v=spf1 ~all", AuthResult.SoftFail)]
    [InlineData("v=spf1 ?all", AuthResult.Neutral)]
    [InlineData("v=spf1", AuthResult.Neutral)]
    public async Task Qualifier_of_the_matching_mechanism_is_the_result(string record, AuthResult result)
    {
        var verdict = await CheckAsync(record);

        Assert.Equal(result, verdict.Result);
    }

    [Fact]
    public async Task Fail_says_which_mechanism_matched()
    {
        Assert.Equal(new SpfVerdict(AuthResult.Fail, "example.com", "matched -all"), await CheckAsync("v=spf1 -all"));
    }

    [Theory]
    [InlineData("ip4:192.0.2.3", AuthResult.Pass)]
    [InlineData("ip4:192.0.2.0/24", AuthResult.Pass)]
    [InlineData("ip4:192.0.2.2/31", AuthResult.Pass)]
    [InlineData("ip4:192.0.2.4/31", AuthResult.Fail)]
    [InlineData("ip4:192.0.3.0/24", AuthResult.Fail)]
    [InlineData("ip4:0.0.0.0/0", AuthResult.Pass)]
    [InlineData("ip6:::/0", AuthResult.Fail)]
    public async Task Ip4_matches_the_client_within_its_cidr_length(string mechanism, AuthResult result)
    {
        Assert.Equal(result, (await CheckAsync($"v=spf1 {mechanism} -all")).Result);
    }

    [Theory]
    [InlineData("ip6:2001:db8::cb01", AuthResult.Pass)]
    [InlineData("ip6:2001:db8::/32", AuthResult.Pass)]
    [InlineData("ip6:2001:db8::cb00/127", AuthResult.Pass)]
    [InlineData("ip6:2001:db9::/32", AuthResult.Fail)]
    [InlineData("ip4:0.0.0.0/0", AuthResult.Fail)]
    public async Task Ip6_matches_the_client_within_its_cidr_length(string mechanism, AuthResult result)
    {
        Assert.Equal(result, (await CheckAsync($"v=spf1 {mechanism} -all", client: Client6)).Result);
    }

    [Fact]
    public async Task Ipv4_mapped_client_is_checked_as_ipv4()
    {
        Assert.Equal(AuthResult.Pass, (await CheckAsync("v=spf1 ip4:192.0.2.3 -all", client: "::ffff:192.0.2.3")).Result);
    }

    [Theory]
    [InlineData("a", "example.com", "192.0.2.3", AuthResult.Pass)]
    [InlineData("a", "example.com", "192.0.2.200", AuthResult.Fail)]
    [InlineData("a/24", "example.com", "192.0.2.200", AuthResult.Pass)]
    [InlineData("a:mail.example.com", "mail.example.com", "192.0.2.3", AuthResult.Pass)]
    [InlineData("a:mail.example.com/24//64", "mail.example.com", "192.0.2.200", AuthResult.Pass)]
    [InlineData("a:mail.example.com", "other.example.com", "192.0.2.3", AuthResult.Fail)]
    public async Task A_matches_the_a_records_of_its_domain(string mechanism, string host, string address, AuthResult result)
    {
        var zone = new ZoneLookup().Address(host, address);

        Assert.Equal(result, (await CheckAsync($"v=spf1 {mechanism} -all", zone)).Result);
    }

    [Theory]
    [InlineData("a", AuthResult.Pass)]
    [InlineData("a:v4.example.com", AuthResult.Fail)]
    [InlineData("a:near.example.com//64", AuthResult.Pass)]
    [InlineData("a:near.example.com/0", AuthResult.Fail)]
    public async Task A_matches_aaaa_records_for_an_ipv6_client(string mechanism, AuthResult result)
    {
        var zone = new ZoneLookup()
            .Address("example.com", Client6)
            .Address("v4.example.com", "192.0.2.3")
            .Address("near.example.com", "2001:db8::1");

        Assert.Equal(result, (await CheckAsync($"v=spf1 {mechanism} -all", zone, Client6)).Result);
    }

    [Theory]
    [InlineData("mx", "192.0.2.3", AuthResult.Pass)]
    [InlineData("mx", "192.0.2.200", AuthResult.Fail)]
    [InlineData("mx/24", "192.0.2.200", AuthResult.Pass)]
    [InlineData("mx:other.example.org", "192.0.2.3", AuthResult.Fail)]
    public async Task Mx_matches_the_addresses_of_the_exchanges(string mechanism, string address, AuthResult result)
    {
        var zone = new ZoneLookup()
            .Mx("example.com", "mx1.example.com", "mx2.example.com")
            .Address("mx2.example.com", address)
            .Mx("other.example.org", "mx.other.example.org")
            .Address("mx.other.example.org", "198.51.100.1");

        Assert.Equal(result, (await CheckAsync($"v=spf1 {mechanism} -all", zone)).Result);
    }

    [Fact]
    public async Task Mx_matches_aaaa_records_for_an_ipv6_client()
    {
        var zone = new ZoneLookup().Mx("example.com", "mx.example.com").Address("mx.example.com", "192.0.2.3", Client6);

        Assert.Equal(AuthResult.Pass, (await CheckAsync("v=spf1 mx -all", zone, Client6)).Result);
    }

    [Theory]
    [InlineData("ptr", "192.0.2.3", AuthResult.Pass)]
    [InlineData("ptr:example.com", "192.0.2.3", AuthResult.Pass)]
    [InlineData("ptr:mail.example.com", "192.0.2.3", AuthResult.Pass)]
    [InlineData("ptr:example.org", "192.0.2.3", AuthResult.Fail)]
    [InlineData("ptr", "192.0.2.99", AuthResult.Fail)]
    public async Task Ptr_matches_a_validated_name_under_its_domain(string mechanism, string forward, AuthResult result)
    {
        // The name only counts when its own A records lead back to the client (§5.5).
        var zone = new ZoneLookup().Ptr(Client, "mail.example.com.").Address("mail.example.com", forward);

        Assert.Equal(result, (await CheckAsync($"v=spf1 {mechanism} -all", zone)).Result);
    }

    [Theory]
    [InlineData("192.0.2.3", AuthResult.Pass)]
    [InlineData("192.0.2.99", AuthResult.Fail)]
    public async Task P_macro_is_the_validated_name_or_unknown(string forward, AuthResult result)
    {
        var zone = new ZoneLookup()
            .Ptr(Client, "other.example.org", "mail.example.com")
            .Address("other.example.org", forward)
            .Address("mail.example.com", forward)
            .Address("mail.example.com.list.example.net", "127.0.0.2");

        // Of two validated names, the one under the checked domain is preferred (§7.3); with none it is "unknown".
        var verdict = await CheckAsync("v=spf1 exists:%{p}.list.example.net -all", zone);

        Assert.Equal(result, verdict.Result);
    }

    [Theory]
    [InlineData(Client, AuthResult.Pass)]
    [InlineData("192.0.2.4", AuthResult.Fail)]
    [InlineData(Client6, AuthResult.Fail)]
    public async Task Exists_matches_when_the_expanded_name_has_an_a_record(string client, AuthResult result)
    {
        var zone = new ZoneLookup().Address("3.2.0.192.in-addr.list.example.com", "127.0.0.2");

        Assert.Equal(result, (await CheckAsync("v=spf1 exists:%{ir}.%{v}.list.example.com -all", zone, client)).Result);
    }

    [Fact]
    public async Task Exists_asks_for_a_records_even_for_an_ipv6_client()
    {
        var zone = new ZoneLookup().Address("user.list.example.com", "127.0.0.2");

        Assert.Equal(AuthResult.Pass, (await CheckAsync("v=spf1 exists:%{l}.list.example.com -all", zone, Client6)).Result);
    }

    [Theory]
    [InlineData("v=spf1 +all", AuthResult.Pass)]
    [InlineData("v=spf1 -all", AuthResult.Neutral)]
    [InlineData("v=spf1 ~all", AuthResult.Neutral)]
    [InlineData("v=spf1 ?all", AuthResult.Neutral)]
    [InlineData("v=spf1 include:missing.example.net", AuthResult.PermError)]
    [InlineData("v=spf1 bogus", AuthResult.PermError)]
    [InlineData("v=spf1 a:down.example.net", AuthResult.TempError)]
    public async Task Include_matches_only_on_pass_and_passes_errors_on(string included, AuthResult result)
    {
        var zone = new ZoneLookup().Txt("inner.example.org", included).Failing("down.example.net");

        Assert.Equal(result, (await CheckAsync("v=spf1 include:inner.example.org ?all", zone)).Result);
    }

    [Theory]
    [InlineData("v=spf1 include:none.example.org -all")]
    [InlineData("v=spf1 include:nowhere.example.org -all")]
    public async Task Include_of_a_domain_without_a_record_is_a_permanent_error(string record)
    {
        var zone = new ZoneLookup().Txt("none.example.org", "google-site-verification=x");

        Assert.Equal(AuthResult.PermError, (await CheckAsync(record, zone)).Result);
    }
}
