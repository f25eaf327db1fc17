namespace MailIngest.Smtp.Tests.Fuzzing;

/// <summary>How a fuzzed session ended, so that a run can show how often the deep checks ran.</summary>
internal enum FuzzOutcome
{
    /// <summary>The session closed (QUIT, 421, error limit, timeout, drain) and stayed silent afterwards.</summary>
    Closed,

    /// <summary>The session was still open and then served a normal transaction.</summary>
    ServedNormalTransaction,

    /// <summary>The session was inside a BDAT chunk larger than the fuzzer's filler: it rightly waits for its octets.</summary>
    InsideLargeChunk,
}
