{{/* The chart's name, or nameOverride. */}}
{{- define "plinth.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object's name: fullnameOverride, or <release>-<chart> (the release alone when it contains the chart's name). */}}
{{- define "plinth.fullname" -}}
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
Kubernetes' recommended labels, the one place every object's labels come from.
Call with (dict "ctx" $ "component" "control-plane"); component may be omitted for objects of the
whole release.
*/}}
{{- define "plinth.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "plinth.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: plinth
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end }}

{{/* Labels that select pods: the release's (every Plinth pod), narrowed by component when given. */}}
{{- define "plinth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "plinth.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end }}

{{/* The two planes: values key, component (also the object names' suffix), and what the image runs. */}}
{{- define "plinth.planes" -}}
controlPlane: control-plane
dataPlane: data-plane
{{- end }}

{{/* Name of a plane's objects: (dict "ctx" $ "component" "data-plane"). */}}
{{- define "plinth.componentName" -}}
{{- printf "%s-%s" (include "plinth.fullname" .ctx | trunc 50 | trimSuffix "-") .component }}
{{- end }}

{{/* The headless Service both planes' Hazelcast members find each other through. */}}
{{- define "plinth.hazelcastServiceName" -}}
{{- printf "%s-hazelcast" (include "plinth.fullname" . | trunc 53 | trimSuffix "-") }}
{{- end }}

{{/* Its fully qualified DNS name: PLINTH_CLUSTER_KUBERNETES_SERVICE_DNS. */}}
{{- define "plinth.hazelcastServiceDns" -}}
{{- printf "%s.%s.svc.%s" (include "plinth.hazelcastServiceName" .) .Release.Namespace .Values.clusterDomain }}
{{- end }}

{{/* The Secret the services' passwords and keys come from. */}}
{{- define "plinth.secretName" -}}
{{- default (include "plinth.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{- define "plinth.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "plinth.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Whether the control plane talks to Keycloak. */}}
{{- define "plinth.keycloakEnabled" -}}
{{- if or .Values.keycloak.url .Values.keycloak.instances }}true{{- end }}
{{- end }}

{{/*
The pod's grace period, from the one shutdown timeout, in the services' stop order (PlinthNode.stop):
the preStop wait, then in-flight requests (up to PLINTH_SHUTDOWN_TIMEOUT), the service's own stop
work (up to the timeout again), leaving the directory and the Hazelcast cluster and closing
(clusterLeaveSeconds), plus a margin. The grace period counts from the start of preStop.
*/}}
{{- define "plinth.terminationGracePeriodSeconds" -}}
{{- $s := .Values.shutdown }}
{{- add $s.preStopSleepSeconds (mul 2 $s.timeoutSeconds) $s.clusterLeaveSeconds $s.marginSeconds }}
{{- end }}

{{/* <registry>/<repository>:<tag> of a plane: (dict "ctx" $ "plane" .Values.dataPlane). */}}
{{- define "plinth.image" -}}
{{- $tag := default .ctx.Chart.AppVersion .ctx.Values.image.tag }}
{{- if .ctx.Values.image.registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" .ctx.Values.image.registry) .plane.image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .plane.image.repository $tag }}
{{- end }}
{{- end }}
