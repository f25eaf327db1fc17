namespace MailIngest.Smtp.Data;

/// <summary>
/// Reads DATA content (RFC 5321 §4.1.1.4, §4.5.2): removes a leading dot, ends only at &lt;CRLF&gt;.&lt;CRLF&gt;,
/// caps the size and rejects bare LF (SMTP smuggling, CVE-2023-51764). Content leaves as ranges of the
/// input, so nothing is copied. Whether a line starts is carried as state, so a consumed CRLF at the end of
/// an input is fine; only a trailing "\r", "." or ".\r" is left unconsumed, as it may begin a terminator.
/// Each byte is scanned once, plus at most two held back, so feeding in small pieces is not quadratic.
/// </summary>
internal sealed class DataReader(long maxBytes)
{
    // The CRLF ending the DATA command counts: "." as the very first line ends an empty message.
    private bool _atLineStart = true;

    // Unstuffed content octets counted so far (counting stops once over the cap).
    private long _size;

    /// <summary>Whether the message is still deliverable.</summary>
    public DataStatus Status { get; private set; } = DataStatus.Ok;

    /// <summary>
    /// Scans <paramref name="input"/>. Content ranges are added to <paramref name="segments"/> only while the
    /// status is <see cref="DataStatus.Ok"/>.
    /// </summary>
    public DataReadResult Read(ReadOnlySpan<byte> input, List<Range> segments)
    {
        var pos = 0;
        var segmentStart = 0;
        while (pos < input.Length)
        {
            if (_atLineStart)
            {
                if (input[pos] == (byte)'.')
                {
                    if (pos + 1 >= input.Length || (input[pos + 1] == (byte)'\r' && pos + 2 >= input.Length))
                    {
                        // "." or ".\r" at the end: could be the terminator, wait for more.
                        Flush(segmentStart, pos, segments);
                        return new DataReadResult(pos, Ended: false);
                    }

                    if (input[pos + 1] == (byte)'\r' && input[pos + 2] == (byte)'\n')
                    {
                        // The CRLF before the dot is message content and already in the segment.
                        Flush(segmentStart, pos, segments);
                        return new DataReadResult(pos + 3, Ended: true);
                    }

                    // §4.5.2: a line starting with a dot and holding more has its first dot removed
                    // (".." becomes "."; ".\rX" becomes "\rX" and the bare CR passes as content).
                    Flush(segmentStart, pos, segments);
                    segmentStart = ++pos;
                }

                _atLineStart = false;
            }

            var lf = input[pos..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                // A trailing CR stays unconsumed: the next byte decides whether it starts a CRLF.
                var end = input[^1] == (byte)'\r' ? input.Length - 1 : input.Length;
                Flush(segmentStart, end, segments);
                return new DataReadResult(end, Ended: false);
            }

            lf += pos;
            if (lf > 0 && input[lf - 1] == (byte)'\r')
            {
                _atLineStart = true;
            }
            else
            {
                // A bare LF never starts a line, so "\n.\r\n" or "\n.\n" cannot end the message; and the
                // message is refused because a downstream MTA might read it as a line end.
                Status = DataStatus.BareLineFeed;
            }

            pos = lf + 1;
        }

        Flush(segmentStart, pos, segments);
        return new DataReadResult(pos, Ended: false);
    }

    private void Flush(int start, int end, List<Range> segments)
    {
        var length = end - start;
        if (length <= 0 || Status != DataStatus.Ok)
        {
            return;
        }

        _size += length;
        if (_size > maxBytes)
        {
            Status = DataStatus.TooLarge;
            return;
        }

        segments.Add(new Range(start, end));
    }
}
