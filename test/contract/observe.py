"""Drives the generated Python bindings for test/contract/python.test.ts with the real prometheus_client.

usage: observe.py <catalog dir> <python package dir>

For every mixin in obskit_catalog.MIXINS and every service listing it (and none): registers the module's metrics in
a fresh CollectorRegistry, observes each instrument metric of the JSON catalog once (labels filled with example
values), and prints, as JSON, both expositions (Prometheus text, OpenMetrics) and the families prometheus_client's
strict OpenMetrics parser reads back. Then checks register()'s defaults: the global REGISTRY, and a service that does
not list the mixin.
"""

import json
import sys
from importlib import import_module

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics
from prometheus_client.openmetrics.parser import text_string_to_metric_families


def observe(metric, kind, labels):
    child = metric.labels(**{label: f"example-{label}" for label in labels}) if labels else metric
    if kind == "counter":
        child.inc()
    elif kind == "gauge":
        child.set(1)
    else:
        child.observe(0.5)


def main(catalog_dir, package_dir):
    sys.path.insert(0, package_dir)
    package = import_module("obskit_catalog")
    runs = []
    for mixin, info in package.MIXINS.items():
        with open(f"{catalog_dir}/{mixin}.json", encoding="utf-8") as f:
            catalog = json.load(f)
        module = import_module(f"obskit_catalog.{info['module']}")
        for service in [None, *module.SERVICES]:
            registry = CollectorRegistry()
            by_name = module.register(registry=registry, service=service).by_name()
            for m in catalog["metrics"]:
                if m["origin"] == "instrument":
                    observe(by_name[m["name"]], m["type"], m["labels"])
            openmetrics = generate_openmetrics(registry).decode()
            runs.append({
                "mixin": mixin,
                "module": module.__name__,
                "moduleVersion": module.VERSION,
                "service": service,
                "created": sorted(by_name),
                "runtime": list(module.RUNTIME_METRICS),
                "text": generate_latest(registry).decode(),
                "openmetrics": openmetrics,
                "openmetricsFamilies": [
                    {"name": f.name, "type": f.type, "unit": f.unit, "samples": sorted({s.name for s in f.samples})}
                    for f in text_string_to_metric_families(openmetrics)
                ],
            })
    http = import_module("obskit_catalog.http")
    http.register()
    in_default = "http_server_active_requests" in generate_latest(REGISTRY).decode()
    try:
        http.register(registry=CollectorRegistry(), service="no-such-service")
        unknown_service = ""
    except ValueError as error:
        unknown_service = str(error)
    print(json.dumps({"runs": runs, "defaultRegistry": in_default, "unknownService": unknown_service}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
