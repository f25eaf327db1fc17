namespace MailIngest.Smtp.Authentication;

/// <summary>The mechanisms of RFC 7208 §5.</summary>
internal enum SpfMechanism
{
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
}
