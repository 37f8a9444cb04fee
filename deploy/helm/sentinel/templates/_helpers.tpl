{{/* The objects' name: the release's, with "sentinel" unless it says so already. */}}
{{- define "sentinel.fullname" -}}
{{- if contains "sentinel" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-sentinel" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Selector labels. app.kubernetes.io/name is also the ServiceMonitor's jobLabel: job="sentinel",
     as the alerts (SentinelDown) and the dashboard expect, whatever the release is called. */}}
{{- define "sentinel.selectorLabels" -}}
app.kubernetes.io/name: sentinel
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "sentinel.labels" -}}
{{ include "sentinel.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* One value as TOML: a map is an inline table, anything else is what JSON writes, which TOML
     reads the same (strings, numbers, booleans, arrays). Keys are always quoted. */}}
{{- define "sentinel.toml.value" -}}
{{- if kindIs "map" . -}}
{ {{- $first := true -}}
{{- range $k, $v := . -}}
{{- if not $first }}, {{ end -}}{{- $first = false -}}
{{ toJson $k }} = {{ include "sentinel.toml.value" $v }}
{{- end -}} }
{{- else -}}
{{- toJson . -}}
{{- end -}}
{{- end -}}

{{/* The keys of one table, a line each. */}}
{{- define "sentinel.toml.keys" -}}
{{- $lines := list -}}
{{- range $k, $v := . -}}
{{- $lines = append $lines (printf "%s = %s" (toJson $k) (include "sentinel.toml.value" $v)) -}}
{{- end -}}
{{- join "\n" $lines -}}
{{- end -}}

{{- define "sentinel.terminationGracePeriodSeconds" -}}
{{- $least := add .Values.shutdownTimeoutSeconds 5 -}}
{{- $grace := .Values.terminationGracePeriodSeconds | default $least -}}
{{- if lt (int $grace) (int $least) -}}
{{- fail (printf "terminationGracePeriodSeconds %v is shorter than shutdownTimeoutSeconds %v plus 5: the kubelet would SIGKILL Sentinel in the middle of its ordered stop." $grace .Values.shutdownTimeoutSeconds) -}}
{{- end -}}
{{- $grace -}}
{{- end -}}
