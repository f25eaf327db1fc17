using System.Text;

namespace MailIngest.Actors.Content;

/// <summary>A stored copy as a client reads it back: its trace fields, then the content as received.</summary>
public static class RawMessage
{
    /// <summary>The raw message: <paramref name="traceHeaders"/> in front of <paramref name="content"/>.</summary>
    public static byte[] Compose(string traceHeaders, byte[] content)
    {
        var trace = Encoding.UTF8.GetBytes(traceHeaders);
        var raw = new byte[trace.Length + content.Length];
        trace.CopyTo(raw, 0);
        content.CopyTo(raw, trace.Length);
        return raw;
    }
}
