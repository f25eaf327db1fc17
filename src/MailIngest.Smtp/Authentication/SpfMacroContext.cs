using System.Net;

namespace MailIngest.Smtp.Authentication;

/// <summary>What the macro letters of RFC 7208 §7.2 stand for during one check_host() call.</summary>
/// <param name="LocalPart">%{l}: the sender's local part ("postmaster" when it had none, §4.3).</param>
/// <param name="SenderDomain">%{o}: the sender's domain.</param>
/// <param name="Domain">%{d}: the domain whose record is being evaluated (changes with include and redirect).</param>
/// <param name="Client">%{i} and %{v}: the client address, IPv4-mapped addresses already made IPv4.</param>
/// <param name="Helo">%{h}: the HELO/EHLO argument.</param>
/// <param name="ValidatedName">%{p}: the client's validated name (§5.5), or "unknown".</param>
internal sealed record SpfMacroContext(
    string LocalPart,
    string SenderDomain,
    string Domain,
    IPAddress Client,
    string Helo,
    string ValidatedName);
