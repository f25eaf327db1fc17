namespace MailIngest.Smtp.Data;

/// <summary>What one <see cref="DataReader.Read"/> did.</summary>
/// <param name="Consumed">Octets of the input used; the rest (at most ".\r") must be fed again.</param>
/// <param name="Ended">True when &lt;CRLF&gt;.&lt;CRLF&gt; was consumed.</param>
internal readonly record struct DataReadResult(int Consumed, bool Ended);
