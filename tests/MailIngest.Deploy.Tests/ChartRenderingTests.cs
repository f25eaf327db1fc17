using System.Globalization;
using System.Text.Json.Nodes;

namespace MailIngest.Deploy.Tests;

[Collection(DeployToolsCollection.Name)]
public sealed class ChartRenderingTests(DeployTools tools)
{
    /// <summary>The keys whose chart default differs from the host's, each for a reason a pod in a cluster has.</summary>
    private static readonly string[] ChosenForPods =
    [
        // A pod is reached through its pod IP, not loopback.
        "Admin:BindAddress", "Cluster:HostName", "Smtp:BindAddress",
        // Across Kubernetes nodes failover leaves room for network hiccups (values.yaml, "Failover timing").
        "Cluster:AcceptableHeartbeatPauseMilliseconds", "Cluster:DownRemovalMarginMilliseconds",
        "Cluster:HeartbeatIntervalMilliseconds", "Cluster:StableAfterMilliseconds",
        // Other nodes reach a pod by its stable DNS name.
        "Cluster:PublicHostName",
        // The persistent volume's mount point.
        "Storage:DataDirectory",
    ];

    private static readonly string[] PostgreSql =
        ["--set", "storage.provider=PostgreSql", "--set", "storage.postgresql.existingSecret=pg"];

    [Theory]
    [InlineData("mailingest", "mail", 3, "mailingest")]
    [InlineData("prod", "mx", 5, "prod-mailingest")]
    [InlineData("edge", "default", 2, "edge-mailingest")]
    public void Seeds_are_the_first_StatefulSet_pods_by_DNS_name(string release, string @namespace, int replicas, string fullname)
    {
        var chart = Chart.Template(tools, release, @namespace, [.. PostgreSql, "--set", $"replicaCount={replicas}"]);

        var statefulSet = chart.Single("StatefulSet");
        Assert.Equal(fullname, (string?)statefulSet["metadata"]!["name"]);
        var headless = (string)statefulSet["spec"]!["serviceName"]!;
        Assert.Equal(fullname + "-headless", headless);
        var akkaPort = (long)Port(chart.Container, "akka-remote")["containerPort"]!;
        var expected = Enumerable.Range(0, Math.Min(replicas, 3))
            .Select(i => $"{fullname}-{i}.{headless}.{@namespace}.svc.cluster.local:{akkaPort}");
        Assert.Equal(expected, Seeds(chart));
    }

    [Fact]
    public void Seeds_follow_min_replicas_when_autoscaling()
    {
        var chart = Chart.Template(tools, "mailingest", "mail",
            [.. PostgreSql, "--set", "autoscaling.enabled=true", "--set", "autoscaling.minReplicas=2"]);

        Assert.Equal(
            ["mailingest-0.mailingest-headless.mail.svc.cluster.local:4053", "mailingest-1.mailingest-headless.mail.svc.cluster.local:4053"],
            Seeds(chart));
        Assert.Null(chart.Single("StatefulSet")["spec"]!["replicas"]);
    }

    [Fact]
    public void Public_host_name_is_the_pods_own_DNS_name()
    {
        var chart = Chart.Template(tools, "prod", "mx", PostgreSql);

        var environment = chart.Environment;
        Assert.Equal("metadata.name", (string?)environment["POD_NAME"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("$(POD_NAME).prod-mailingest-headless.mx.svc.cluster.local",
            (string?)environment["MailIngest__Cluster__PublicHostName"]);
        var names = chart.Container["env"]!.AsArray().Select(e => (string?)e!["name"]).ToList();
        Assert.True(names.IndexOf("POD_NAME") < names.IndexOf("MailIngest__Cluster__PublicHostName"),
            "$(POD_NAME) only expands when POD_NAME is defined earlier");
    }

    [Theory]
    [MemberData(nameof(ChartValueSets.Names), MemberType = typeof(ChartValueSets))]
    public void Every_MailIngest_variable_is_a_configuration_key_of_the_host_with_value_set(string valueSet)
    {
        var chart = Chart.Template(tools, "mailingest", "mail", ChartValueSets.Arguments(valueSet));

        var variables = chart.Environment.Where(pair => pair.Key.StartsWith(ConfigurationKeys.Prefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(variables);
        foreach (var (name, value) in variables)
        {
            var type = ConfigurationKeys.Resolve(name);
            Assert.True(type is not null, $"{name} is not a key of MailIngestSettings (renamed on one side?)");
            if (value is JsonValue literal && literal.TryGetValue<string>(out var text) && !text.Contains("$(", StringComparison.Ordinal))
            {
                Assert.True(ConfigurationKeys.Converts(text, type), $"{name}={text} does not convert to {type.Name}");
            }
        }
    }

    [Fact]
    public void Default_values_repeat_the_hosts_defaults_except_where_a_pod_needs_another()
    {
        var chart = Chart.Template(tools, "mailingest", "mail");
        var defaults = ConfigurationKeys.Defaults().ToDictionary(pair => pair.Key, pair => pair.Default);

        var differing = chart.Environment
            .Where(pair => pair.Key.StartsWith(ConfigurationKeys.Prefix, StringComparison.Ordinal) && pair.Value is JsonValue)
            .Select(pair => (Key: pair.Key[ConfigurationKeys.Prefix.Length..].Replace("__", ":"), Value: (string?)pair.Value))
            .Where(pair => defaults.TryGetValue(pair.Key, out var value) && !string.Equals(Convert.ToString(value, CultureInfo.InvariantCulture), pair.Value, StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair.Key)
            .Order()
            .ToList();

        Assert.Equal(ChosenForPods.Order(), differing);
    }

    [Fact]
    public void The_tls_value_set_feeds_the_hosts_TLS_and_admin_token_keys()
    {
        var chart = Chart.Template(tools, "mailingest", "mail",
            ChartValueSets.Arguments("three-nodes-postgresql-tls-values.yaml"));

        string[] keys =
        [
            "MailIngest__Smtp__Tls__CertificatePath", "MailIngest__Smtp__Tls__KeyPath", "MailIngest__Smtp__Tls__ImplicitPort",
            "MailIngest__Smtp__Tls__Required", "MailIngest__Admin__Token",
        ];
        Assert.All(keys, key => Assert.Contains(key, chart.Environment.Keys));
        Assert.All(keys, key => Assert.NotNull(ConfigurationKeys.Resolve(key)));
    }

    [Theory]
    [MemberData(nameof(ChartValueSets.Names), MemberType = typeof(ChartValueSets))]
    public void Probes_hit_the_admin_endpoints_with_value_set(string valueSet)
    {
        var chart = Chart.Template(tools, "mailingest", "mail", ChartValueSets.Arguments(valueSet));
        var container = chart.Container;

        AssertHttpProbe(container["readinessProbe"], "/readyz");
        AssertHttpProbe(container["livenessProbe"], "/healthz");
        AssertHttpProbe(container["startupProbe"], "/healthz");
        Assert.Equal((string?)chart.Environment["MailIngest__Admin__Port"], Port(container, "admin")["containerPort"]!.ToString());
        Assert.Equal((string?)chart.Environment["MailIngest__Smtp__Port"], Port(container, "smtp")["containerPort"]!.ToString());
        Assert.Equal((string?)chart.Environment["MailIngest__Cluster__Port"], Port(container, "akka-remote")["containerPort"]!.ToString());
    }

    [Theory]
    [InlineData("--set", "replicaCount=3")]
    [InlineData("--set", "autoscaling.enabled=true")]
    public void Sqlite_with_more_than_one_replica_is_refused(params string[] arguments)
    {
        var result = Chart.TryTemplate(tools, "mailingest", "mail", ["--set", "storage.provider=Sqlite", .. arguments]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("storage.provider=Sqlite supports a single replica only", result.StandardError);
    }

    [Fact]
    public void PostgreSql_without_a_secret_is_refused()
    {
        var result = Chart.TryTemplate(tools, "mailingest", "mail", "--set", "storage.provider=PostgreSql", "--set", "replicaCount=3");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("needs storage.postgresql.existingSecret", result.StandardError);
    }

    [Theory]
    [InlineData(ChartValueSets.Defaults)]
    [InlineData("three-nodes-postgresql-tls-values.yaml")]
    [InlineData("autoscaling-values.yaml")]
    public void Termination_grace_outlasts_preStop_and_drain_with_value_set(string valueSet)
    {
        var chart = Chart.Template(tools, "mailingest", "mail", ChartValueSets.Arguments(valueSet));

        var grace = (long)chart.Single("StatefulSet")["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!;
        var preStop = (long)chart.Container["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!;
        var drain = long.Parse((string)chart.Environment["MailIngest__Smtp__DrainGraceSeconds"]!);
        var delay = chart.Environment.TryGetValue("MailIngest__Smtp__DrainDelaySeconds", out var set) ? long.Parse((string)set!) : 0;
        Assert.True(grace > preStop + delay + drain, $"terminationGracePeriodSeconds {grace} <= preStop {preStop} + delay {delay} + drain {drain}");
    }

    [Fact]
    public void Headless_Service_publishes_unready_pods_on_named_ports()
    {
        var chart = Chart.Template(tools, "mailingest", "mail", PostgreSql);
        var statefulSet = chart.Single("StatefulSet");
        var headless = chart.OfKind("Service")
            .Single(s => (string?)s["metadata"]!["name"] == (string?)statefulSet["spec"]!["serviceName"]);

        Assert.Equal("None", (string?)headless["spec"]!["clusterIP"]);
        Assert.True((bool)headless["spec"]!["publishNotReadyAddresses"]!);
        Assert.Equal(["smtp", "admin", "akka-remote"],
            headless["spec"]!["ports"]!.AsArray().Select(p => (string?)p!["targetPort"]));
        Assert.Equal("Parallel", (string?)statefulSet["spec"]!["podManagementPolicy"]);
    }

    [Fact]
    public void Smtp_Service_maps_port_25_to_the_smtp_container_port_and_keeps_client_IPs_on_request()
    {
        var byDefault = Chart.Template(tools, "mailingest", "mail");
        var local = Chart.Template(tools, "mailingest", "mail", "--set", "service.smtp.externalTrafficPolicy=Local");

        var smtp = SmtpService(byDefault);
        Assert.Equal("LoadBalancer", (string?)smtp["spec"]!["type"]);
        var port = smtp["spec"]!["ports"]!.AsArray().Single()!;
        Assert.Equal(25, (long)port["port"]!);
        Assert.Equal("smtp", (string?)port["targetPort"]);
        Assert.Equal("Local", (string?)SmtpService(local)["spec"]!["externalTrafficPolicy"]);
    }

    [Fact]
    public void Config_checksum_changes_when_the_configuration_changes()
    {
        var before = Chart.Template(tools, "mailingest", "mail");
        var after = Chart.Template(tools, "mailingest", "mail", "--set", "smtp.maxRecipients=5");

        Assert.NotEqual(Checksum(before), Checksum(after));
        Assert.Equal(Checksum(before), Checksum(Chart.Template(tools, "mailingest", "mail")));
    }

    [Fact]
    public void Disruption_budget_keeps_a_majority_only_when_there_is_more_than_one_node()
    {
        var single = Chart.Template(tools, "mailingest", "mail");
        var three = Chart.Template(tools, "mailingest", "mail", [.. PostgreSql, "--set", "replicaCount=3"]);

        Assert.Empty(single.OfKind("PodDisruptionBudget"));
        Assert.Equal("51%", (string?)three.Single("PodDisruptionBudget")["spec"]!["minAvailable"]);
    }

    [Fact]
    public void Autoscaler_scales_in_one_pod_at_a_time_after_a_stabilization_window()
    {
        var chart = Chart.Template(tools, "mailingest", "mail", ChartValueSets.Arguments("autoscaling-values.yaml"));

        var spec = chart.Single("HorizontalPodAutoscaler")["spec"]!;
        var scaleDown = spec["behavior"]!["scaleDown"]!;
        Assert.True((long)scaleDown["stabilizationWindowSeconds"]! >= 60);
        var policy = scaleDown["policies"]!.AsArray().Single()!;
        Assert.Equal(("Pods", 1L), ((string?)policy["type"], (long)policy["value"]!));
        Assert.Equal(["Resource", "Pods"], spec["metrics"]!.AsArray().Select(m => (string?)m!["type"]));
        Assert.Equal("StatefulSet", (string?)spec["scaleTargetRef"]!["kind"]);
    }

    [Fact]
    public void Milters_render_in_order_into_the_hosts_Milters_keys()
    {
        var chart = Chart.Template(tools, "mailingest", "mail", ChartValueSets.Arguments("milter-sidecar-values.yaml"));

        // YAML numbers arrive as floats: 600000 must not print as 6e+05. An entry without name leaves the host's default.
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["MailIngest__Milters__0__Name"] = "rspamd",
                ["MailIngest__Milters__0__Address"] = "inet:127.0.0.1:11332",
                ["MailIngest__Milters__1__Name"] = "archive-check",
                ["MailIngest__Milters__1__Address"] = "unix:/run/milter/archive-check.sock",
                ["MailIngest__Milters__1__DefaultAction"] = "Accept",
                ["MailIngest__Milters__1__ConnectTimeoutMilliseconds"] = "5000",
                ["MailIngest__Milters__1__CommandTimeoutMilliseconds"] = "10000",
                ["MailIngest__Milters__1__ContentTimeoutMilliseconds"] = "600000",
            }.OrderBy(pair => pair.Key, StringComparer.Ordinal),
            Milters(chart));
        // The set's webhook also takes the copies a milter quarantined.
        Assert.Equal("true", (string?)chart.Environment["MailIngest__Webhooks__0__IncludeQuarantined"]);
    }

    [Fact]
    public void Milters_set_on_the_command_line_render_with_name_defaulting_to_the_host()
    {
        var chart = Chart.Template(tools, "mailingest", "mail",
            "--set", "milters[0].name=rspamd", "--set", "milters[0].address=inet:127.0.0.1:11332",
            "--set", "milters[0].defaultAction=Reject", "--set", "milters[0].commandTimeoutMilliseconds=2000000",
            "--set", "milters[1].address=unix:/run/milter/filter.sock");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["MailIngest__Milters__0__Name"] = "rspamd",
                ["MailIngest__Milters__0__Address"] = "inet:127.0.0.1:11332",
                ["MailIngest__Milters__0__DefaultAction"] = "Reject",
                ["MailIngest__Milters__0__CommandTimeoutMilliseconds"] = "2000000",
                ["MailIngest__Milters__1__Address"] = "unix:/run/milter/filter.sock",
            }.OrderBy(pair => pair.Key, StringComparer.Ordinal),
            Milters(chart));
        Assert.Empty(Milters(Chart.Template(tools, "mailingest", "mail")));
    }

    [Fact]
    public void Milter_without_address_is_refused()
    {
        var result = Chart.TryTemplate(tools, "mailingest", "mail", "--set", "milters[0].name=rspamd");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("milters[].address is required", result.StandardError);
    }

    [Fact]
    public void Extra_containers_init_containers_and_volumes_render_into_the_pod_spec()
    {
        var chart = Chart.Template(tools, "mailingest", "mail", ChartValueSets.Arguments("milter-sidecar-values.yaml"));
        var pod = chart.PodSpec;

        var sidecar = pod["initContainers"]!.AsArray().Single()!;
        Assert.Equal("rspamd", (string?)sidecar["name"]);
        Assert.Equal("Always", (string?)sidecar["restartPolicy"]);
        Assert.Equal(11332, (long)sidecar["ports"]!.AsArray().Single()!["containerPort"]!);
        Assert.Equal(["mailingest", "archive-check"], pod["containers"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal(["tmp", "rspamd", "milter-sockets"], pod["volumes"]!.AsArray().Select(v => (string?)v!["name"]));
        var mount = chart.Container["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "milter-sockets")!;
        Assert.Equal("/run/milter", (string?)mount["mountPath"]);

        var plain = Chart.Template(tools, "mailingest", "mail").PodSpec;
        Assert.Null(plain["initContainers"]);
        Assert.Equal(["mailingest"], plain["containers"]!.AsArray().Select(c => (string?)c!["name"]));
    }

    [Fact]
    public void Extra_containers_set_on_the_command_line_run_beside_MailIngest()
    {
        var chart = Chart.Template(tools, "mailingest", "mail",
            "--set", "extraContainers[0].name=milter", "--set", "extraContainers[0].image=registry.example.com/milter:1",
            "--set", "extraVolumes[0].name=sockets", "--set-json", "extraVolumes[0].emptyDir={}",
            "--set", "extraVolumeMounts[0].name=sockets", "--set", "extraVolumeMounts[0].mountPath=/run/milter");

        var milter = chart.PodSpec["containers"]!.AsArray().Single(c => (string?)c!["name"] == "milter")!;
        Assert.Equal("registry.example.com/milter:1", (string?)milter["image"]);
        Assert.NotNull(chart.PodSpec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "sockets")!["emptyDir"]);
        Assert.Contains(chart.Container["volumeMounts"]!.AsArray(), m => (string?)m!["mountPath"] == "/run/milter");
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData(null, null)]
    public void Webhook_includeQuarantined_renders_only_when_set(string? value, string? expected)
    {
        string[] webhook =
        [
            "--set", "webhooks[0].name=review", "--set", "webhooks[0].url=https://review.example.com/inbound",
            "--set", "webhooks[0].secret.existingSecret=mailingest-webhooks", "--set", "webhooks[0].secret.key=review",
        ];
        string[] arguments = value is null ? webhook : [.. webhook, "--set", $"webhooks[0].includeQuarantined={value}"];

        var chart = Chart.Template(tools, "mailingest", "mail", arguments);

        Assert.Equal(expected, chart.Environment.TryGetValue("MailIngest__Webhooks__0__IncludeQuarantined", out var set) ? (string?)set : null);
    }

    private static IEnumerable<KeyValuePair<string, string>> Milters(RenderedChart chart) =>
        chart.Environment
            .Where(pair => pair.Key.StartsWith("MailIngest__Milters__", StringComparison.Ordinal))
            .Select(pair => KeyValuePair.Create(pair.Key, (string)pair.Value!))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal);

    private static IEnumerable<string> Seeds(RenderedChart chart) =>
        chart.Environment
            .Where(pair => pair.Key.StartsWith("MailIngest__Cluster__Seeds__", StringComparison.Ordinal))
            .OrderBy(pair => int.Parse(pair.Key["MailIngest__Cluster__Seeds__".Length..]))
            .Select(pair => (string)pair.Value!);

    private static JsonNode Port(JsonObject container, string name) =>
        container["ports"]!.AsArray().Single(p => (string?)p!["name"] == name)!;

    private static JsonObject SmtpService(RenderedChart chart) =>
        chart.OfKind("Service").Single(s => (string?)s["metadata"]!["name"] == "mailingest-smtp");

    private static string? Checksum(RenderedChart chart) =>
        (string?)chart.Single("StatefulSet")["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/config"];

    private static void AssertHttpProbe(JsonNode? probe, string path)
    {
        Assert.NotNull(probe);
        Assert.Equal(path, (string?)probe["httpGet"]!["path"]);
        Assert.Equal("admin", (string?)probe["httpGet"]!["port"]);
    }
}
