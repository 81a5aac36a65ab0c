#!/usr/bin/python3
"""Structure of the Kubernetes manifests in deploy/kubernetes/.

Every file parses as YAML; every document has apiVersion, kind and
metadata.name; every pod (a Pod, or the pod template of a workload) has the
settings nestbox needs (hostUsers: false; procMount: Unmasked on each
container; runAsNonRoot or the SETFCAP capability; a seccomp profile; SELinux
options), each explained by a comment in the file; and the field names are
ones Kubernetes knows at the places they are used, so that a misspelt field
(which kubectl would reject or, worse, ignore) fails here.  Offline: no
cluster and no kubectl.

usage: manifests.py DEPLOY_DIR   (prints TAP)
"""
import glob
import os
import sys

try:
    import yaml
except ImportError:
    print("1..0 # SKIP python3-yaml is not installed (apt-get install python3-yaml)")
    sys.exit(0)

count = 0
failed = 0


def point(ok, desc):
    global count, failed
    count += 1
    if not ok:
        failed += 1
    print(f"{'ok' if ok else 'not ok'} {count} - {desc}", flush=True)


# The fields these manifests may use, per object type (a subset of the
# Kubernetes API, enough for the examples; extend it with new fields).
KNOWN = {
    "object": {"apiVersion", "kind", "metadata", "spec", "data", "stringData"},
    "metadata": {"name", "namespace", "labels", "annotations"},
    "statefulset": {"serviceName", "replicas", "selector", "template", "volumeClaimTemplates",
                    "podManagementPolicy", "updateStrategy"},
    "deployment": {"replicas", "selector", "template", "strategy"},
    "job": {"backoffLimit", "template", "ttlSecondsAfterFinished", "activeDeadlineSeconds",
            "completions", "parallelism"},
    "template": {"metadata", "spec"},
    "pod": {"hostUsers", "securityContext", "containers", "initContainers", "volumes",
            "restartPolicy", "terminationGracePeriodSeconds", "serviceAccountName",
            "nodeSelector", "tolerations", "affinity", "runtimeClassName", "hostname",
            "automountServiceAccountToken"},
    "podSecurityContext": {"runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup",
                           "supplementalGroups", "seccompProfile", "seLinuxOptions",
                           "appArmorProfile", "sysctls", "fsGroupChangePolicy"},
    "container": {"name", "image", "imagePullPolicy", "command", "args", "env", "envFrom",
                  "securityContext", "resources", "volumeMounts", "ports", "workingDir",
                  "stdin", "tty", "startupProbe", "readinessProbe", "livenessProbe"},
    "securityContext": {"procMount", "allowPrivilegeEscalation", "privileged", "capabilities",
                        "runAsNonRoot", "runAsUser", "runAsGroup", "readOnlyRootFilesystem",
                        "seccompProfile", "seLinuxOptions", "appArmorProfile"},
    "capabilities": {"add", "drop"},
    "seccompProfile": {"type", "localhostProfile"},
    "seLinuxOptions": {"user", "role", "type", "level"},
    "volumeMount": {"name", "mountPath", "readOnly", "subPath"},
    "volume": {"name", "emptyDir", "configMap", "secret", "persistentVolumeClaim", "hostPath"},
}
KIND_API = {"Pod": "v1", "ConfigMap": "v1", "Secret": "v1", "Job": "batch/v1",
            "StatefulSet": "apps/v1", "Deployment": "apps/v1"}


def unknown(obj, kind, where):
    if not isinstance(obj, dict):
        return [f"{where} is not a mapping"]
    return [f"{where}.{k}" for k in obj if k not in KNOWN[kind]]


def pod_specs(doc):
    kind = doc.get("kind")
    spec = doc.get("spec") or {}
    if kind == "Pod":
        return [("spec", spec)]
    if kind in ("StatefulSet", "Deployment", "Job"):
        return [("spec.template.spec", (spec.get("template") or {}).get("spec") or {})]
    return []


def check_fields(doc, name):
    bad = unknown(doc, "object", name)
    bad += unknown(doc.get("metadata") or {}, "metadata", f"{name}.metadata")
    kind = doc.get("kind")
    workload = {"StatefulSet": "statefulset", "Deployment": "deployment", "Job": "job"}.get(kind)
    if workload:
        bad += unknown(doc["spec"], workload, f"{name}.spec")
        bad += unknown(doc["spec"].get("template") or {}, "template", f"{name}.spec.template")
    for where, pod in pod_specs(doc):
        where = f"{name}.{where}"
        bad += unknown(pod, "pod", where)
        psc = pod.get("securityContext") or {}
        bad += unknown(psc, "podSecurityContext", f"{where}.securityContext")
        bad += unknown(psc.get("seccompProfile") or {}, "seccompProfile", f"{where}.securityContext.seccompProfile")
        bad += unknown(psc.get("seLinuxOptions") or {}, "seLinuxOptions", f"{where}.securityContext.seLinuxOptions")
        for v in pod.get("volumes") or []:
            bad += unknown(v, "volume", f"{where}.volumes[{v.get('name')}]")
        for c in (pod.get("containers") or []) + (pod.get("initContainers") or []):
            cw = f"{where}.containers[{c.get('name')}]"
            bad += unknown(c, "container", cw)
            sc = c.get("securityContext") or {}
            bad += unknown(sc, "securityContext", f"{cw}.securityContext")
            bad += unknown(sc.get("capabilities") or {}, "capabilities", f"{cw}.securityContext.capabilities")
            for m in c.get("volumeMounts") or []:
                bad += unknown(m, "volumeMount", f"{cw}.volumeMounts[{m.get('name')}]")
    return bad


def check_pod(name, where, pod, text, names_in_file):
    p = f"{name}: {where}"
    psc = pod.get("securityContext") or {}
    containers = pod.get("containers") or []
    point(pod.get("hostUsers") is False, f"{p}: hostUsers: false")
    point(len(containers) > 0 and all(((c.get("securityContext") or {}).get("procMount") == "Unmasked")
                                      for c in containers),
          f"{p}: every container has securityContext.procMount: Unmasked")
    for c in containers:
        sc = c.get("securityContext") or {}
        nonroot = sc.get("runAsNonRoot", psc.get("runAsNonRoot")) is True and \
            sc.get("runAsUser", psc.get("runAsUser", 1)) != 0
        setfcap = "SETFCAP" in ((sc.get("capabilities") or {}).get("add") or [])
        point(nonroot or setfcap, f"{p}: container {c.get('name')} runs as non-root or keeps SETFCAP")
        point(sc.get("privileged") is not True and "SYS_ADMIN" not in
              ((sc.get("capabilities") or {}).get("add") or []),
              f"{p}: container {c.get('name')} is not privileged and has no SYS_ADMIN")
        point(bool(c.get("image")), f"{p}: container {c.get('name')} names an image")
        for m in c.get("volumeMounts") or []:
            if m.get("name") not in names_in_file["volumes"]:
                point(False, f"{p}: volumeMount {m.get('name')} has no volume")
    seccomp = [psc.get("seccompProfile")] + [(c.get("securityContext") or {}).get("seccompProfile")
                                             for c in containers]
    seccomp = [s for s in seccomp if s]
    point(bool(seccomp) and all(s.get("type") in ("Unconfined", "Localhost", "RuntimeDefault") and
                                (s.get("type") != "Localhost" or s.get("localhostProfile"))
                                for s in seccomp),
          f"{p}: a valid seccompProfile is set")
    selinux = psc.get("seLinuxOptions") or {}
    point(bool(selinux.get("type")), f"{p}: seLinuxOptions names an SELinux type")
    for config_map in names_in_file["configMapRefs"]:
        point(config_map in names_in_file["configMaps"], f"{p}: ConfigMap {config_map} is in the file")


def check_comments(name, text):
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    for topic, words in [("hostUsers", ["hostUsers"]), ("procMount", ["Unmasked"]),
                         ("non-root or SETFCAP", ["SETFCAP"]), ("seccompProfile", ["RuntimeDefault"]),
                         ("seLinuxOptions", ["container_t"])]:
        point(any(w in comments for w in words), f"{name}: comments explain {topic}")


def main():
    deploy = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../deploy/kubernetes")
    files = sorted(glob.glob(os.path.join(deploy, "*.yaml")))
    point(len(files) >= 3, f"{len(files)} manifests in {deploy}")
    uses = {"zuul-executor.yaml": "a Zuul-like executor", "image-builder.yaml": "an image builder",
            "debug-shell.yaml": "an interactive debug shell"}
    for f, use in uses.items():
        point(os.path.join(deploy, f) in files, f"{f} ({use}) exists")
    for path in files:
        name = os.path.basename(path)
        text = open(path).read()
        try:
            docs = [d for d in yaml.safe_load_all(text) if d is not None]
        except yaml.YAMLError as e:
            point(False, f"{name}: parses as YAML ({e})")
            continue
        point(len(docs) > 0, f"{name}: parses as YAML ({len(docs)} documents)")
        names = {"configMaps": set(), "configMapRefs": set(), "volumes": set()}
        for d in docs:
            if d.get("kind") == "ConfigMap":
                names["configMaps"].add((d.get("metadata") or {}).get("name"))
        pods = 0
        for i, d in enumerate(docs):
            dn = f"{name}[{i}] {d.get('kind')}"
            point(all(d.get(k) for k in ("apiVersion", "kind")) and (d.get("metadata") or {}).get("name"),
                  f"{dn}: apiVersion, kind and metadata.name")
            point(KIND_API.get(d.get("kind")) == d.get("apiVersion"),
                  f"{dn}: apiVersion {d.get('apiVersion')} is the one for {d.get('kind')}")
            bad = check_fields(d, dn)
            point(not bad, f"{dn}: only known fields" + (f" (unknown: {', '.join(bad)})" if bad else ""))
            if d.get("kind") in ("StatefulSet", "Deployment"):
                sel = ((d["spec"].get("selector") or {}).get("matchLabels") or {})
                labels = ((d["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {}
                point(sel and all(labels.get(k) == v for k, v in sel.items()),
                      f"{dn}: the selector matches the pod template's labels")
            for where, pod in pod_specs(d):
                pods += 1
                names["volumes"] = {v.get("name") for v in pod.get("volumes") or []} | \
                    {(t.get("metadata") or {}).get("name") for t in (d["spec"].get("volumeClaimTemplates") or [])}
                names["configMapRefs"] = {(v.get("configMap") or {}).get("name")
                                          for v in pod.get("volumes") or [] if v.get("configMap")}
                check_pod(name, where, pod, text, names)
        point(pods > 0, f"{name}: has a pod spec")
        check_comments(name, text)
    print(f"1..{count}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
