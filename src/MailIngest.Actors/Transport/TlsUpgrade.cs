using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Akka.Event;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Transport;

/// <summary>The server's side of a TLS handshake: after STARTTLS (RFC 3207), or first thing on an implicit-TLS port (RFC 8314).</summary>
public static class TlsUpgrade
{
    /// <summary>
    /// Negotiates TLS over <paramref name="clear"/>, which the returned stream then owns. Null when the handshake failed
    /// or took longer than <paramref name="timeout"/>; that is logged, unless <paramref name="closing"/> says the
    /// session is gone and the failure is its own doing. The handshake (its key exchange included) runs on the thread
    /// pool, never on the caller's thread.
    /// </summary>
    public static Task<SecuredStream?> SecureAsync(Stream clear, TlsCertificateSource certificates, TimeSpan timeout,
        IPAddress client, ILoggingAdapter log, CancellationToken closing) =>
        Task.Run(() => HandshakeAsync(clear, certificates, timeout, client, log, closing));

    private static async Task<SecuredStream?> HandshakeAsync(Stream clear, TlsCertificateSource certificates, TimeSpan timeout,
        IPAddress client, ILoggingAdapter log, CancellationToken closing)
    {
        var options = certificates.ServerOptions();
        var ssl = new SslStream(clear, leaveInnerStreamOpen: false);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(closing);
            deadline.CancelAfter(timeout);
            await ssl.AuthenticateAsServerAsync(options, deadline.Token);
            return new SecuredStream(ssl, new TlsDetails(ProtocolName(ssl.SslProtocol), ssl.NegotiatedCipherSuite.ToString()));
        }
        catch (Exception error) when (error is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            await ssl.DisposeAsync();
            if (!closing.IsCancellationRequested) log.Info("TLS negotiation with {0} failed: {1}", client, error.Message);
            return null;
        }
    }

    private static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };
}
