using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailIngest.Testing;

/// <summary>A self-signed server certificate for mx.test / 127.0.0.1, written as a PEM pair like a kubernetes.io/tls Secret.</summary>
public static class TestCertificate
{
    /// <summary>Writes tls.crt and tls.key into <paramref name="directory"/> (replacing them) and returns the certificate's subject.</summary>
    public static string Write(string directory, string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("mx.test");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Written to temporary names and moved into place, as a Secret volume update swaps files.
        WriteAtomically(CertificatePath(directory), certificate.ExportCertificatePem());
        WriteAtomically(KeyPath(directory), key.ExportPkcs8PrivateKeyPem());
        return certificate.Subject;
    }

    /// <summary>The certificate file in <paramref name="directory"/>.</summary>
    public static string CertificatePath(string directory) => Path.Combine(directory, "tls.crt");

    /// <summary>The key file in <paramref name="directory"/>.</summary>
    public static string KeyPath(string directory) => Path.Combine(directory, "tls.key");

    private static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".new";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
