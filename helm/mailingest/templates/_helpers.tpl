{{/*
Expand the name of the chart.
*/}}
{{- define "mailingest.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "mailingest.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "mailingest.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "mailingest.labels" -}}
helm.sh/chart: {{ include "mailingest.chart" . }}
{{ include "mailingest.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "mailingest.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mailingest.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "mailingest.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mailingest.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Headless Service that gives every pod a stable DNS name (<pod>.<headless>.<namespace>.svc.<domain>).
*/}}
{{- define "mailingest.headlessName" -}}
{{- printf "%s-headless" (include "mailingest.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
DNS suffix shared by all pods of the StatefulSet, after the pod name.
*/}}
{{- define "mailingest.podDnsSuffix" -}}
{{- printf "%s.%s.svc.%s" (include "mailingest.headlessName" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/*
Number of pods that always exist: minReplicas under the autoscaler, else replicaCount.
*/}}
{{- define "mailingest.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ int .Values.autoscaling.minReplicas }}{{ else }}{{ int .Values.replicaCount }}{{ end }}
{{- end }}

{{/*
Seed nodes: the first min(minReplicas, 3) pods, ordinal 0 first. Only the first seed may form a new
cluster on a cold start, so a Parallel start cannot split; later pods join whichever seed answers.
Pods that may not exist are left out: their names do not resolve and would only slow the join.
*/}}
{{- define "mailingest.seeds" -}}
{{- $fullname := include "mailingest.fullname" . }}
{{- $suffix := include "mailingest.podDnsSuffix" . }}
{{- $count := min 3 (int (include "mailingest.minReplicas" .)) }}
{{- $seeds := list }}
{{- range $i := until (int $count) }}
{{- $seeds = append $seeds (printf "%s-%d.%s:%d" $fullname $i $suffix (int $.Values.containerPorts.akkaRemote)) }}
{{- end }}
{{- join "," $seeds }}
{{- end }}

{{/*
Seconds between SIGTERM's preStop and SIGKILL: preStop sleep + SMTP drain delay + drain + margin.
*/}}
{{- define "mailingest.terminationGracePeriodSeconds" -}}
{{- add .Values.preStopSleepSeconds (.Values.smtp.drainDelaySeconds | default 0) .Values.smtp.drainGraceSeconds .Values.terminationGraceMarginSeconds }}
{{- end }}

{{/*
Refuses value combinations that cannot work.
*/}}
{{- define "mailingest.validate" -}}
{{- $provider := .Values.storage.provider }}
{{- if not (has $provider (list "Sqlite" "PostgreSql")) }}
{{- fail (printf "storage.provider must be Sqlite or PostgreSql, not %q" $provider) }}
{{- end }}
{{- if eq $provider "Sqlite" }}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}
{{- fail "storage.provider=Sqlite supports a single replica only (SQLite is a local file that one node owns): set replicaCount=1 and autoscaling.enabled=false, or use storage.provider=PostgreSql with storage.postgresql.existingSecret" }}
{{- end }}
{{- if not .Values.persistence.enabled }}
{{- fail "storage.provider=Sqlite needs persistence.enabled=true, or the journal is lost with the pod" }}
{{- end }}
{{- end }}
{{- if and (eq $provider "PostgreSql") (not .Values.storage.postgresql.existingSecret) }}
{{- fail "storage.provider=PostgreSql needs storage.postgresql.existingSecret: the name of a Secret whose key storage.postgresql.key holds the Npgsql connection string" }}
{{- end }}
{{- if and .Values.tls.enabled (not .Values.tls.secretName) }}
{{- fail "tls.enabled=true needs tls.secretName: a Secret of type kubernetes.io/tls" }}
{{- end }}
{{- end }}

{{/*
Image reference; the tag defaults to the chart's appVersion.
*/}}
{{- define "mailingest.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
