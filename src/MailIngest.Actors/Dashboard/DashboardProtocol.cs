using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Dashboard;

/// <summary>Asks a node's <see cref="DashboardSamplerActor"/> for its history; the answer is <see cref="NodeSamples"/>.</summary>
public sealed record GetNodeSamples : IMailIngestMessage;

/// <summary>A node's samples, oldest first.</summary>
/// <param name="Node">The node's cluster address.</param>
/// <param name="Samples">Its history.</param>
public sealed record NodeSamples(string Node, IReadOnlyList<DashboardSample> Samples) : IMailIngestMessage;
