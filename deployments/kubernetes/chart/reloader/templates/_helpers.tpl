{{- define "reloader-name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" | lower -}}
{{- end -}}

{{- define "reloader-fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The namespace of every namespaced object: the top-level "namespace" value, else the release's. */}}
{{- define "reloader-namespace" -}}
{{- .Values.namespace | default .Release.Namespace -}}
{{- end -}}

{{/* Reloader's chart labels: the legacy app/chart/release/heritage and the recommended app.kubernetes.io ones. */}}
{{- define "reloader-labels.chart" -}}
app: {{ template "reloader-fullname" . }}
app.kubernetes.io/instance: {{ .Release.Name | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
app.kubernetes.io/name: {{ template "reloader-name" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
chart: "{{ .Chart.Name }}-{{ .Chart.Version }}"
helm.sh/chart: "{{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}"
heritage: {{ .Release.Service | quote }}
release: {{ .Release.Name | quote }}
{{- end -}}

{{/*
The labels of every object: the chart labels, then reloader.deployment.labels (Reloader's provider/group/version
defaults; through tpl) where they do not collide with those, then the object's own extra labels ("extra", through
tpl), which win.
Called with (dict "root" $ "extra" <map or nil>). Rendered as one map, so a key is never written twice.
*/}}
{{- define "reloader-labels" -}}
{{- $root := .root -}}
{{- $labels := include "reloader-labels.chart" $root | fromYaml -}}
{{- with $root.Values.reloader.deployment.labels -}}
{{- $labels = merge $labels (tpl (toYaml .) $root | fromYaml) -}}
{{- end -}}
{{- with .extra -}}
{{- $labels = merge (tpl (toYaml .) $root | fromYaml) $labels -}}
{{- end -}}
{{- toYaml $labels -}}
{{- end -}}

{{/* Helm 3's release annotations, as Reloader's chart writes them. */}}
{{- define "reloader-helm3.annotations" -}}
meta.helm.sh/release-name: {{ .Release.Name | quote }}
meta.helm.sh/release-namespace: {{ .Release.Namespace | quote }}
{{- end -}}

{{/* The Deployment's selector: never changes (it is immutable), so an upgrade from Reloader's chart works. */}}
{{- define "reloader-match-labels.chart" -}}
app: {{ template "reloader-fullname" . }}
release: {{ .Release.Name | quote }}
{{- end -}}

{{- define "reloader-serviceAccountName" -}}
{{- if .Values.reloader.serviceAccount.create -}}
{{ default (include "reloader-fullname" .) .Values.reloader.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.reloader.serviceAccount.name }}
{{- end -}}
{{- end -}}

{{- define "reloader-image" -}}
{{- if .Values.global.imageRegistry -}}
{{- printf "%s/%s:%s" .Values.global.imageRegistry .Values.image.name (default .Chart.AppVersion .Values.image.tag) -}}
{{- else if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Namespaces of scoped mode: the release namespace plus reloader.namespaces (list or CSV), sorted, unique. */}}
{{- define "reloader-namespaces" -}}
{{- $list := list (include "reloader-namespace" .) -}}
{{- $ns := .Values.reloader.namespaces -}}
{{- if kindIs "string" $ns -}}{{- $ns = splitList "," $ns -}}{{- end -}}
{{- range $ns -}}{{- if trim . -}}{{- $list = append $list (trim .) -}}{{- end -}}{{- end -}}
{{- $list | uniq | sortAlpha | join "," -}}
{{- end -}}

{{- define "reloader-scoped" -}}
{{- $ns := .Values.reloader.namespaces -}}
{{- if and (not .Values.reloader.watchGlobally) $ns -}}true{{- end -}}
{{- end -}}

{{/* Whether the pods need HA identity: HA enabled, or more than one replica (which renders --enable-ha). */}}
{{- define "reloader-ha" -}}
{{- if or .Values.reloader.enableHA (gt (int .Values.reloader.deployment.replicas) 1) -}}true{{- end -}}
{{- end -}}

{{/*
The Lease of leader election: its name and namespace as the controller uses them (stakater-reloader-lock in
POD_NAMESPACE, the release namespace), or reloader.leaderElection.id / .namespace where the chart sets them.
*/}}
{{- define "reloader-lease-name" -}}
{{- (.Values.reloader.leaderElection | default dict).id | default "stakater-reloader-lock" -}}
{{- end -}}

{{- define "reloader-lease-namespace" -}}
{{- (.Values.reloader.leaderElection | default dict).namespace | default (include "reloader-namespace" .) -}}
{{- end -}}

{{/*
The RBAC rules for the watched scope (the ClusterRole, or a Role in each watched namespace): only the API calls
the controller makes, as docs/rbac.md lists them. Compared with Reloader's chart: 'watch' on workloads (the
index), 'patch' instead of 'update' (every workload write is a patch), no 'get' on sources (informers list and
watch), and the ignored kinds dropped from namespaced Roles too.
*/}}
{{- define "reloader-rules" -}}
{{- with .root -}}
{{- if or (not .Values.reloader.ignoreSecrets) (not .Values.reloader.ignoreConfigMaps) }}
- apiGroups: [""]
  resources:
{{- if not .Values.reloader.ignoreSecrets }}
  - secrets
{{- end }}
{{- if not .Values.reloader.ignoreConfigMaps }}
  - configmaps
{{- end }}
  verbs: [list, watch]
{{- end }}
{{- if and .Values.reloader.watchGlobally .Values.reloader.namespaceSelector }}
- apiGroups: [""]
  resources: [namespaces]
  verbs: [list, watch]
{{- end }}
- apiGroups: [apps]
  resources: [deployments, daemonsets, statefulsets]
  verbs: [list, get, watch, patch]
{{- if not .Values.reloader.ignoreCronJobs }}
- apiGroups: [batch]
  resources: [cronjobs]
  verbs: [list, get, watch]
{{- end }}
{{- if not .Values.reloader.ignoreJobs }}
- apiGroups: [batch]
  resources: [jobs]
  verbs: [create, delete, list, get, watch]
{{- else if not .Values.reloader.ignoreCronJobs }}
{{- /* A CronJob's reload creates a Job after listing the Jobs it owns. */}}
- apiGroups: [batch]
  resources: [jobs]
  verbs: [create, list]
{{- end }}
{{- if .Values.reloader.isArgoRollouts }}
- apiGroups: [argoproj.io]
  resources: [rollouts]
  verbs: [list, get, watch, patch]
{{- end }}
{{- if .Values.reloader.enableCSIIntegration }}
- apiGroups: [secrets-store.csi.x-k8s.io]
  resources: [secretproviderclasspodstatuses]
  verbs: [list, watch]
- apiGroups: [secrets-store.csi.x-k8s.io]
  resources: [secretproviderclasses]
  verbs: [get]
{{- end }}
{{- if .Values.reloader.reloadOnServiceAccountChange }}
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [list, watch]
{{- end }}
{{- if .Values.reloader.rbac.evictPods }}
- apiGroups: [""]
  resources: [pods]
  verbs: [list]
- apiGroups: [""]
  resources: [pods/eviction]
  verbs: [create]
{{- end }}
{{- range .Values.reloader.customWorkloadTypes }}
- apiGroups: [{{ regexReplaceAll "/[^/]*$" .apiVersion "" | quote }}]
  resources: [{{ .resource | required "reloader.customWorkloadTypes[].resource (the plural, e.g. clonesets) is required" }}]
  verbs: [list, get, watch, patch]
{{- end }}
{{- /* Repeated Events are counted up with a merge patch, which the client sends after a GET. */}}
- apiGroups: [""]
  resources: [events]
  verbs: [create, get, patch]
{{- end -}}
{{- end -}}

{{/* The meta-info ConfigMap, written in the release namespace: by name; create cannot be limited to a name. */}}
{{- define "reloader-meta-info-rules" -}}
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [reloader-meta-info]
  verbs: [get, update]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [create]
{{- end -}}

{{/* The leader election Lease: by name (get, and the merge patch that renews it); create cannot be. */}}
{{- define "reloader-lease-rules" -}}
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  resourceNames: [{{ include "reloader-lease-name" . | quote }}]
  verbs: [get, patch]
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create]
{{- end -}}
