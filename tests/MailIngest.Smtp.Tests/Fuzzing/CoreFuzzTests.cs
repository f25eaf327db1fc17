using System.Diagnostics;
using MailIngest.Testing;
using Xunit.Abstractions;

namespace MailIngest.Smtp.Tests.Fuzzing;

/// <summary>
/// Random and mutated sessions against the pure core, bounded in time (MAILINGEST_FUZZ_SECONDS, default 20;
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
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("MAILINGEST_FUZZ_SECONDS"), out var configured) ? configured : 20;
        output.WriteLine($"seed {seed} (replay with MAILINGEST_FUZZ_SEED={seed})");
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var outcomes = new Dictionary<FuzzOutcome, int>();
        var sessions = 0;
        long octets = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            // Each session's inputs come from the run's generator, so a seed replays the same sessions in order.
            var input = SmtpFuzzInput.Session(random);
            var splits = random.Next();
            try
            {
                var outcome = new CoreFuzzer(new Random(splits)).Run(input);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
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

        output.WriteLine($"seed {seed}: {sessions} sessions, {octets} octets in {clock.Elapsed.TotalSeconds:0} s; " +
                         string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
        Assert.True(sessions > 100, $"only {sessions} sessions ran");
        // The after-fuzz transaction is the deepest check; it must not quietly stop running.
        Assert.True(outcomes.GetValueOrDefault(FuzzOutcome.ServedNormalTransaction) > sessions / 10, "too few sessions reached the normal transaction");
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Corpus_input_keeps_every_invariant_whatever_the_splits(string file)
    {
        var input = File.ReadAllBytes(Path.Combine(CorpusDirectory, file));
        for (var seed = 0; seed < 50; seed++) new CoreFuzzer(new Random(seed)).Run(input);
    }
}
