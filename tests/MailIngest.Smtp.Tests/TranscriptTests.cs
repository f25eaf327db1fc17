using System.Text;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>
/// Dialogues in Transcripts/*.txt: "C: " lines are sent with CRLF (consecutive ones in one Feed, as a
/// pipelining client would), "S: " lines are the exact expected reply lines, "#" lines are comments.
/// "\r" and "\n" inside a C: line stand for a bare CR or LF. Delivery is accepted as queue id Q1.
/// </summary>
public sealed class TranscriptTests
{
    public static TheoryData<string> Transcripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Transcripts"), "*.txt").Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Transcript_runs_as_written(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Transcripts", name));
        var driver = new SmtpTestDriver();
        var expected = new StringBuilder();
        var batch = new StringBuilder();

        foreach (var line in lines.Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith("C: ", StringComparison.Ordinal) || line == "C:")
            {
                batch.Append(Unescape(line.Length > 3 ? line[3..] : string.Empty)).Append("\r\n");
                continue;
            }

            Flush(driver, batch);
            Assert.StartsWith("S: ", line, StringComparison.Ordinal);
            expected.Append(line[3..]).Append("\r\n");
        }

        Flush(driver, batch);
        Assert.Equal(expected.ToString(), driver.Wire);
    }

    private static void Flush(SmtpTestDriver driver, StringBuilder batch)
    {
        if (batch.Length > 0)
        {
            driver.Send(batch.ToString());
            batch.Clear();
        }
    }

    private static string Unescape(string text) =>
        text.Replace("\\r", "\r", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
}
