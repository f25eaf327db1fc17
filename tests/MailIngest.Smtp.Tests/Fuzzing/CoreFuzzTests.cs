using System.Diagnostics;
using MailIngest.Testing;
using Xunit.Abstractions;

namespace MailIngest.Smtp.Tests.Fuzzing;

/// <summary>
/// Random and mutated sessions against the pure core, bounded in time (MAILINGEST_FUZZ_SECONDS, default 15;
/// MAILINGEST_FUZZ_SEED replays a run), and the regression corpus in Fuzzing/Corpus replayed every run.
/// </summary>
public sealed class CoreFuzzTests(ITestOutputHelper output)
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Fuzzing", "Corpus");

    public static TheoryData<string> Corpus() =>
        new(Directory.GetFiles(CorpusDirectory, "*.smtp").Select(Path.GetFileName).Order()!);

    [Fact]
    public void Random_and_mutated_sessions_keep_every_invariant()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MAILINGEST_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("MAILINGEST_FUZZ_SECONDS"), out var configured) ? configured : 15;
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var sessions = 0;
        long octets = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var input = SmtpFuzzInput.Session(random);
            var splits = random.Next();
            try
            {
                new CoreFuzzer(new Random(splits)).Run(input);
            }
            catch (Exception error)
            {
                var saved = Path.Combine(AppContext.BaseDirectory, $"fuzz-failure-{seed}-{sessions}.smtp");
                File.WriteAllBytes(saved, input);
                Assert.Fail($"seed {seed}, session {sessions}, split seed {splits}: {error.GetType().Name}: {error.Message}\n" +
                            $"input saved to {saved} (add it to Fuzzing/Corpus once fixed): {Convert.ToBase64String(input)}\n{error.StackTrace}");
            }

            sessions++;
            octets += input.Length;
        }

        output.WriteLine($"seed {seed}: {sessions} sessions, {octets} octets in {clock.Elapsed.TotalSeconds:0} s");
        Assert.True(sessions > 100, $"only {sessions} sessions ran");
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Corpus_input_keeps_every_invariant_whatever_the_splits(string file)
    {
        var input = File.ReadAllBytes(Path.Combine(CorpusDirectory, file));
        for (var seed = 0; seed < 50; seed++) new CoreFuzzer(new Random(seed)).Run(input);
    }
}
