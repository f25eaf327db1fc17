using System.Net;

namespace MailIngest.Actors.Transport;

/// <summary>The networks whose clients are trusted (HELP STATUS detail).</summary>
public sealed class TrustedNetworks(IReadOnlyList<IPNetwork> networks)
{
    /// <summary>True when <paramref name="address"/> (IPv4-mapped IPv6 included) is in one of the networks.</summary>
    public bool Contains(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(network => network.Contains(plain));
    }
}
