namespace MailIngest.Smtp.Parsing;

/// <summary>
/// Finds one command line at the start of the input. The cap is enforced before anything is parsed: at most
/// <c>maxLineBytes</c> octets are ever scanned, so re-feeding an incomplete line costs at most the cap.
/// </summary>
internal static class CommandLineReader
{
    /// <summary>Looks for the LF ending the first line.</summary>
    /// <param name="input">Unconsumed input.</param>
    /// <param name="maxLineBytes">Longest line including CRLF.</param>
    /// <param name="lineLength">For Complete and BareLineFeed: the line length including its terminator.</param>
    public static LineStatus Read(ReadOnlySpan<byte> input, int maxLineBytes, out int lineLength)
    {
        var window = input.Length > maxLineBytes ? input[..maxLineBytes] : input;
        var lf = window.IndexOf((byte)'\n');
        if (lf < 0)
        {
            lineLength = 0;
            return input.Length >= maxLineBytes ? LineStatus.TooLong : LineStatus.NeedMore;
        }

        lineLength = lf + 1;
        return lf > 0 && window[lf - 1] == (byte)'\r' ? LineStatus.Complete : LineStatus.BareLineFeed;
    }
}
