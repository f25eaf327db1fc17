namespace MailIngest.Smtp.Session;

/// <summary>The TLS session a connection runs over, for the trace header (RFC 3848 "ESMTPS").</summary>
/// <param name="Protocol">e.g. "TLSv1.3".</param>
/// <param name="Cipher">e.g. "TLS_AES_256_GCM_SHA384".</param>
public sealed record TlsDetails(string Protocol, string Cipher);
