using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;

namespace MailIngest.Actors.Telemetry;

/// <summary>
/// The instruments that observe state rather than events: sessions, bytes, messages, deliveries waiting on a moving
/// shard, cluster members by status, and shards and mailbox entities on this node (from <see cref="ShardCounts"/>).
/// </summary>
public static class NodeGauges
{
    /// <summary>Registers the observable instruments on <see cref="MailIngestMeter.Meter"/> for this node.</summary>
    public static void Observe(ActorSystem system, SmtpCounters smtp, DeliveryCounters deliveries, ShardCounts shards)
    {
        var meter = MailIngestMeter.Meter;
        // Exported as mailingest_smtp_active_sessions: the name the chart's HPA asks for (autoscaling.activeSessions.metricName).
        meter.CreateObservableUpDownCounter("smtp_active_sessions", () => smtp.SessionsNow, description: "Open SMTP sessions");
        meter.CreateObservableCounter("smtp_received_bytes", () => smtp.Bytes, "By", "Octets received from SMTP clients");
        meter.CreateObservableCounter("smtp_messages", () => new[]
        {
            new Measurement<long>(smtp.Accepted, new KeyValuePair<string, object?>("outcome", "accepted")),
            new Measurement<long>(smtp.Deferred, new KeyValuePair<string, object?>("outcome", "deferred")),
        }, description: "Messages by outcome: accepted (250) or deferred (451)");
        meter.CreateObservableUpDownCounter("delivery_waiting_on_moving_shard", () => deliveries.WaitingOnShard,
            description: "Copies sent again because their mailbox did not answer (its shard may be moving)");
        meter.CreateObservableGauge("cluster_members", () => Cluster.Get(system).State.Members
            .GroupBy(member => member.Status)
            .Select(group => new Measurement<int>(group.Count(), new KeyValuePair<string, object?>("status", group.Key.ToString()))),
            description: "Cluster members by status, as this node sees them");
        meter.CreateObservableGauge("shards", () => shards.Shards, description: "Mailbox shards hosted by this node");
        meter.CreateObservableGauge("mailbox_entities", () => shards.Entities, description: "Mailbox entities alive on this node");
    }
}
