using MailIngest.Actors.Telemetry;
using Prometheus;

namespace MailIngest.Host.Admin;

/// <summary>/metrics in Prometheus text format: the MailIngest meter's instruments (through prometheus-net's meter adapter) and the process metrics.</summary>
public static class MetricsEndpoint
{
    private static readonly double[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    /// <summary>Starts exporting the meter now and maps /metrics, open like the probes: it holds counts, no mail.</summary>
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        // prometheus-net would start its own adapter only at the first scrape, losing what was measured before it.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true });
        var defaults = MeterAdapterOptions.Default;
        var adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == MailIngestMeter.Name,
            ResolveHistogramBuckets = instrument =>
                instrument.Name == MailIngestMeter.ContentBatchSize.Name || instrument.Name == MailIngestMeter.JournalBatchSize.Name
                    ? BatchBuckets : defaults.ResolveHistogramBuckets(instrument),
            // The adapter forgets a series not updated for this long (5 minutes by default, a day at most): a rare reply
            // code should not vanish between two scrapes of a quiet night.
            MetricsExpireAfter = TimeSpan.FromDays(1),
        });
        app.Lifetime.ApplicationStopped.Register(adapter.Dispose);
        app.MapMetrics("/metrics");
        return app;
    }
}
