{{/*
The PLINTH_* settings of one plane, as ConfigMap data: (dict "ctx" $ "key" "dataPlane" "plane" .Values.dataPlane).
The plane's `settings` map comes last and wins.
*/}}
{{- define "plinth.settings" -}}
{{- $v := .ctx.Values }}
{{- $s := dict }}
{{- $_ := set $s "PLINTH_HTTP_PORT" (toString .plane.port) }}
{{- $_ := set $s "PLINTH_DB_URL" $v.postgresql.writerUrl }}
{{- $_ := set $s "PLINTH_DB_READER_URLS" (join "," $v.postgresql.readerUrls) }}
{{- $_ := set $s "PLINTH_DB_USER" $v.postgresql.user }}
{{- $_ := set $s "PLINTH_DB_POOL_SIZE" (toString $v.postgresql.poolSize) }}
{{- $_ := set $s "PLINTH_CLUSTER_NAME" $v.cluster.name }}
{{- /* Empty: Hazelcast binds to the pod's address and announces it. */}}
{{- $_ := set $s "PLINTH_CLUSTER_INTERFACE" "" }}
{{- $_ := set $s "PLINTH_CLUSTER_PORT" (toString $v.cluster.port) }}
{{- $_ := set $s "PLINTH_CLUSTER_MIN_MEMBERS" (toString $v.cluster.minMembers) }}
{{- $_ := set $s "PLINTH_CLUSTER_KUBERNETES_ENABLED" "true" }}
{{- if eq $v.cluster.discovery "dns" }}
{{- $_ := set $s "PLINTH_CLUSTER_KUBERNETES_SERVICE_DNS" (include "plinth.hazelcastServiceDns" .ctx) }}
{{- else }}
{{- /* Hazelcast's API mode: the headless Service's endpoints, in the pod's own namespace. */}}
{{- $_ := set $s "PLINTH_CLUSTER_KUBERNETES_MODE" "api" }}
{{- $_ := set $s "PLINTH_CLUSTER_KUBERNETES_SERVICE_NAME" (include "plinth.hazelcastServiceName" .ctx) }}
{{- end }}
{{- $_ := set $s "PLINTH_SHUTDOWN_TIMEOUT" (printf "%ds" (int $v.shutdown.timeoutSeconds)) }}
{{- $_ := set $s "PLINTH_HEALTH_TIMEOUT" (printf "%ds" (int $v.health.timeoutSeconds)) }}
{{- if eq .key "controlPlane" }}
{{- $dataPlane := include "plinth.componentName" (dict "ctx" .ctx "component" "data-plane") }}
{{- $_ := set $s "PLINTH_CONSOLE_DATA_PLANE_URL" (printf "http://%s.%s.svc.%s:%d" $dataPlane .ctx.Release.Namespace $v.clusterDomain (int $v.dataPlane.port)) }}
{{- if $v.keycloak.instances }}
{{- $instances := list }}
{{- range $v.keycloak.instances }}
{{- $instances = append $instances (printf "%s=%s" .name .url) }}
{{- end }}
{{- $_ := set $s "PLINTH_IDENTITY_KEYCLOAK_INSTANCES" (join "," $instances) }}
{{- else if $v.keycloak.url }}
{{- $_ := set $s "PLINTH_IDENTITY_KEYCLOAK_URL" $v.keycloak.url }}
{{- end }}
{{- if include "plinth.keycloakEnabled" .ctx }}
{{- $_ := set $s "PLINTH_IDENTITY_REALMS_PER_INSTANCE" (toString $v.keycloak.realmsPerInstance) }}
{{- if $v.keycloak.consoleRedirectUris }}
{{- $_ := set $s "PLINTH_IDENTITY_CONSOLE_REDIRECT_URIS" (join "," $v.keycloak.consoleRedirectUris) }}
{{- else if and $v.ingress.enabled $v.ingress.controlPlaneHost }}
{{- $_ := set $s "PLINTH_IDENTITY_CONSOLE_REDIRECT_URIS" (printf "%s://%s/*" (ternary "https" "http" $v.ingress.tls.enabled) $v.ingress.controlPlaneHost) }}
{{- end }}
{{- with $v.keycloak.firstOperator }}
{{- $_ := set $s "PLINTH_IDENTITY_CONSOLE_FIRST_OPERATOR" . }}
{{- end }}
{{- end }}
{{- end }}
{{- range $name, $value := .plane.settings }}
{{- $_ := set $s $name (toString $value) }}
{{- end }}
{{- range $name := keys $s | sortAlpha }}
{{ $name }}: {{ index $s $name | quote }}
{{- end }}
{{- end }}
