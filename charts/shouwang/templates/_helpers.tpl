{{/* ------------------------------------------------------------------ names */}}

{{- define "shouwang.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "shouwang.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "shouwang.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of a component's Deployment, Service, PDB, HPA and NetworkPolicy. Context: dict root, name. */}}
{{- define "shouwang.componentFullname" -}}
{{- printf "%s-%s" (include "shouwang.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "shouwang.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "shouwang.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* ------------------------------------------------------------------ labels */}}

{{/* Labels shared by everything of this release. */}}
{{- define "shouwang.releaseSelectorLabels" -}}
app.kubernetes.io/part-of: {{ include "shouwang.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "shouwang.commonLabels" -}}
helm.sh/chart: {{ include "shouwang.chart" . }}
{{ include "shouwang.releaseSelectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component (immutable: no version). Context: dict root, name. */}}
{{- define "shouwang.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* All labels of one component's objects. Context: dict root, name, c (merged component). */}}
{{- define "shouwang.labels" -}}
{{ include "shouwang.commonLabels" .root }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/component: {{ .name }}
app.kubernetes.io/version: {{ include "shouwang.imageTag" . | quote }}
{{- end -}}

{{/* ------------------------------------------------------------------ values */}}

{{/*
Deep merge of two maps where the second wins, `false`, 0 and "" included (sprig's mergeOverwrite
ignores those, so `autoscaling.enabled: false` in a component would be lost). Maps merge key by key;
anything else is replaced. Context: list base override. Returns YAML.
*/}}
{{- define "shouwang.merge" -}}
{{- $out := deepCopy (index . 0) -}}
{{- range $k, $v := (index . 1) -}}
{{- $base := get $out $k -}}
{{- if and (kindIs "map" $v) (kindIs "map" $base) -}}
{{- $_ := set $out $k (include "shouwang.merge" (list $base $v) | fromYaml) -}}
{{- else -}}
{{- $_ := set $out $k $v -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* A component's settings: default merged with components.<name>. Context: dict root, name. Returns YAML. */}}
{{- define "shouwang.component" -}}
{{- $component := index .root.Values.components .name | default dict -}}
{{- include "shouwang.merge" (list .root.Values.default $component) -}}
{{- end -}}

{{/* Names of the enabled components, sorted, as a YAML list. */}}
{{- define "shouwang.enabledComponents" -}}
{{- $names := list -}}
{{- range $name := keys .Values.components | sortAlpha -}}
{{- $c := include "shouwang.component" (dict "root" $ "name" $name) | fromYaml -}}
{{- if $c.enabled -}}
{{- $names = append $names $name -}}
{{- end -}}
{{- end -}}
{{- toYaml $names -}}
{{- end -}}

{{/* A number from values (YAML numbers arrive as float64; 1048576 would otherwise print as 1.048576e+06). */}}
{{- define "shouwang.scalar" -}}
{{- if kindIs "float64" . -}}
{{- if eq (float64 (int64 .)) . -}}{{ int64 . }}{{- else -}}{{ . }}{{- end -}}
{{- else -}}
{{- . -}}
{{- end -}}
{{- end -}}

{{- define "shouwang.imageTag" -}}
{{- default .root.Chart.AppVersion .c.image.tag -}}
{{- end -}}

{{- define "shouwang.image" -}}
{{- printf "%s/%s:%s" (trimSuffix "/" .c.image.repository) .name (include "shouwang.imageTag" .) -}}
{{- end -}}

{{/* ------------------------------------------------------------------ environment */}}

{{/*
A component's environment. Context: dict root, name, c. Order matters: fieldRef and Secret variables come
first so that plain values may refer to them as $(NAME).
*/}}
{{- define "shouwang.env" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- $name := .name -}}
{{- /* plain variables the chart computes, then the user's env over them */ -}}
{{- $plain := dict
  "SERVICE_NAME" $name
  "LOG_LEVEL" $c.logLevel
  "HTTP_PORT" (include "shouwang.scalar" $c.ports.http)
  "SHUTDOWN_TIMEOUT_MS" (include "shouwang.scalar" $c.shutdownTimeoutMs)
  "OTEL_SERVICE_NAME" $name
-}}
{{- $attrs := list "service.namespace=shouwang" (printf "service.version=%s" (include "shouwang.imageTag" .)) "k8s.namespace.name=$(POD_NAMESPACE)" "k8s.pod.name=$(POD_NAME)" (printf "k8s.deployment.name=%s" (include "shouwang.componentFullname" .)) -}}
{{- with $root.Values.otel.environment -}}
{{- $attrs = append $attrs (printf "deployment.environment.name=%s" .) -}}
{{- end -}}
{{- $_ := set $plain "OTEL_RESOURCE_ATTRIBUTES" (join "," $attrs) -}}
{{- with $root.Values.otel.endpoint -}}
{{- $_ := set $plain "OTEL_EXPORTER_OTLP_ENDPOINT" . -}}
{{- end -}}
{{- if $c.ports.grpc -}}
{{- $_ := set $plain "GRPC_PORT" (include "shouwang.scalar" $c.ports.grpc) -}}
{{- end -}}
{{- if $c.kafka.enabled -}}
{{- $_ := set $plain "KAFKA_BROKERS" (join "," $root.Values.kafka.brokers) -}}
{{- $_ := set $plain "KAFKA_CLIENT_ID" $name -}}
{{- with $root.Values.kafka.topics -}}
{{- with .partitions }}{{ $_ := set $plain "KAFKA_TOPIC_PARTITIONS" (include "shouwang.scalar" .) }}{{ end -}}
{{- with .replicationFactor }}{{ $_ := set $plain "KAFKA_TOPIC_REPLICATION_FACTOR" (include "shouwang.scalar" .) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- range $envName, $target := $c.grpcClients -}}
{{- $t := include "shouwang.component" (dict "root" $root "name" $target) | fromYaml -}}
{{- if not (hasKey $root.Values.components $target) -}}
{{- fail (printf "components.%s.grpcClients.%s: no component named %q" $name $envName $target) -}}
{{- end -}}
{{- if not $t.enabled -}}
{{- fail (printf "components.%s.grpcClients.%s: component %q is disabled" $name $envName $target) -}}
{{- end -}}
{{- if not $t.ports.grpc -}}
{{- fail (printf "components.%s.grpcClients.%s: component %q has no ports.grpc" $name $envName $target) -}}
{{- end -}}
{{- $_ := set $plain $envName (printf "%s:%s" (include "shouwang.componentFullname" (dict "root" $root "name" $target)) (include "shouwang.scalar" $t.ports.grpc)) -}}
{{- end -}}
{{- if $c.jwt.enabled -}}
{{- if not $c.jwt.activeKid -}}
{{- fail (printf "components.%s.jwt.activeKid must name the key (a kid in JWT_SIGNING_KEYS) that signs new tokens" $name) -}}
{{- end -}}
{{- $_ := set $plain "JWT_ACTIVE_KID" $c.jwt.activeKid -}}
{{- with $c.jwt.accessTokenTtlSeconds }}{{ $_ := set $plain "ACCESS_TOKEN_TTL_SECONDS" (include "shouwang.scalar" .) }}{{ end -}}
{{- with $c.jwt.refreshTokenTtlSeconds }}{{ $_ := set $plain "REFRESH_TOKEN_TTL_SECONDS" (include "shouwang.scalar" .) }}{{ end -}}
{{- end -}}
{{- if $c.pii.enabled -}}
{{- if not $c.pii.activeKeyId -}}
{{- fail (printf "components.%s.pii.activeKeyId must name the key (a kid in PII_KEYS) that encrypts new values" $name) -}}
{{- end -}}
{{- $_ := set $plain "PII_ACTIVE_KEY_ID" $c.pii.activeKeyId -}}
{{- end -}}
{{- range $k, $v := $c.env -}}
{{- $_ := set $plain $k (include "shouwang.scalar" $v) -}}
{{- end -}}
{{- /* variables from Secrets (skipped when env sets the same name) */ -}}
{{- $secret := dict -}}
{{- /* `fail`, not `required`: helm lint downgrades a failed `required` to an INFO line, even with --strict */ -}}
{{- if $c.mongodb.enabled -}}
{{- $secretName := default $root.Values.mongodb.existingSecret $c.mongodb.existingSecret -}}
{{- $key := default $root.Values.mongodb.uriKey $c.mongodb.uriKey -}}
{{- if not (and $secretName $key) -}}
{{- fail (printf "components.%s.mongodb.existingSecret (or mongodb.existingSecret) and uriKey must name the Secret holding %s's MongoDB URI" $name $name) -}}
{{- end -}}
{{- $_ := set $secret "MONGODB_URI" (dict "secretName" $secretName "key" $key) -}}
{{- end -}}
{{- if $c.redis.enabled -}}
{{- $secretName := default $root.Values.redis.existingSecret $c.redis.existingSecret -}}
{{- $key := default $root.Values.redis.urlKey $c.redis.urlKey -}}
{{- if not (and $secretName $key) -}}
{{- fail (printf "components.%s.redis.existingSecret (or redis.existingSecret) and urlKey must name the Secret holding the Redis URL" $name) -}}
{{- end -}}
{{- $_ := set $secret "REDIS_URL" (dict "secretName" $secretName "key" $key) -}}
{{- end -}}
{{- if $c.internalIdentity.enabled -}}
{{- $secretName := default $root.Values.internalIdentity.existingSecret $c.internalIdentity.existingSecret -}}
{{- $key := default $root.Values.internalIdentity.secretKey $c.internalIdentity.secretKey -}}
{{- if not (and $secretName $key) -}}
{{- fail (printf "components.%s.internalIdentity.existingSecret (or internalIdentity.existingSecret) and secretKey must name the Secret holding INTERNAL_IDENTITY_SECRET" $name) -}}
{{- end -}}
{{- $_ := set $secret "INTERNAL_IDENTITY_SECRET" (dict "secretName" $secretName "key" $key) -}}
{{- end -}}
{{- if $c.jwt.enabled -}}
{{- if not (and $c.jwt.existingSecret $c.jwt.signingKeysKey) -}}
{{- fail (printf "components.%s.jwt.existingSecret and signingKeysKey must name the Secret holding JWT_SIGNING_KEYS" $name) -}}
{{- end -}}
{{- $_ := set $secret "JWT_SIGNING_KEYS" (dict "secretName" $c.jwt.existingSecret "key" $c.jwt.signingKeysKey) -}}
{{- end -}}
{{- if $c.pii.enabled -}}
{{- if not (and $c.pii.existingSecret $c.pii.keysKey $c.pii.indexKeyKey) -}}
{{- fail (printf "components.%s.pii.existingSecret, keysKey and indexKeyKey must name the Secret holding PII_KEYS and PII_INDEX_KEY" $name) -}}
{{- end -}}
{{- if eq $c.pii.keysKey $c.pii.indexKeyKey -}}
{{- fail (printf "components.%s.pii.keysKey and indexKeyKey must be different keys: PII_INDEX_KEY must differ from every key in PII_KEYS" $name) -}}
{{- end -}}
{{- $_ := set $secret "PII_KEYS" (dict "secretName" $c.pii.existingSecret "key" $c.pii.keysKey) -}}
{{- $_ := set $secret "PII_INDEX_KEY" (dict "secretName" $c.pii.existingSecret "key" $c.pii.indexKeyKey) -}}
{{- end -}}
{{- range $k, $v := $c.secretEnv -}}
{{- $_ := set $secret $k $v -}}
{{- end }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- range $k := keys $secret | sortAlpha }}
{{- if not (hasKey $plain $k) }}
{{- $ref := get $secret $k }}
- name: {{ $k }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secretName | quote }}
      key: {{ $ref.key | quote }}
      {{- if hasKey $ref "optional" }}
      optional: {{ $ref.optional }}
      {{- end }}
{{- end }}
{{- end }}
{{- range $k := keys $plain | sortAlpha }}
- name: {{ $k }}
  value: {{ get $plain $k | toString | quote }}
{{- end }}
{{- end -}}
