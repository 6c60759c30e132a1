#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""Check tapwatch EVE JSON output against Suricata's EVE schema.

Every line must be one JSON object (UTF-8, no duplicate keys, no NaN).
"alert" and "flow" events are validated against the schema with the top-level
"li" object set aside (Suricata's schema forbids unknown top-level keys; "li"
is tapwatch's own). Alerts must also carry li.family, li.authorized and
li.mediation_device. Other event types need only "timestamp" and
"event_type".

Schema: --schema PATH, else $TW_EVE_SCHEMA, else
<repo>/../shared/schemas/suricata-eve.schema.json.

Exit status: 0 all lines good, 1 any error, 2 usage or schema problem.
"""

import argparse
import json
import os
import sys

from jsonschema import validators

SCHEMA_EVENTS = ("alert", "flow")
MAX_REPORTED = 100  # per file; the count stays exact


def default_schema_path():
    env = os.environ.get("TW_EVE_SCHEMA")
    if env:
        return env
    repo = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    return os.path.join(os.path.dirname(repo), "shared", "schemas",
                        "suricata-eve.schema.json")


def load_validator(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    # Suricata's schema names no $schema: take the newest draft then.
    cls = validators.validator_for(schema,
                                   default=validators.Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema)


def no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError("duplicate key %r" % key)
        obj[key] = value
    return obj


def reject_constant(name):
    raise ValueError("%s is not JSON" % name)


def json_path(error):
    path = "$"
    for p in error.absolute_path:
        path += "[%d]" % p if isinstance(p, int) else ".%s" % p
    return path


def check_li(event):
    """Errors of the tapwatch "li" object of an alert."""
    li = event.get("li")
    if not isinstance(li, dict):
        return ["alert without an \"li\" object"]
    errors = []
    if not isinstance(li.get("family"), str):
        errors.append("li.family missing or not a string")
    if not isinstance(li.get("authorized"), bool):
        errors.append("li.authorized missing or not a boolean")
    if "mediation_device" not in li:
        errors.append("li.mediation_device missing")
    elif li["mediation_device"] is not None \
            and not isinstance(li["mediation_device"], str):
        errors.append("li.mediation_device neither a string nor null")
    return errors


def check_line(raw, validator, counts):
    """Errors of one line (bytes, without its newline)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["not UTF-8: %s" % e]
    if not text.strip():
        return ["empty line"]
    try:
        event = json.loads(text, object_pairs_hook=no_duplicates,
                           parse_constant=reject_constant)
    except ValueError as e:
        return ["not JSON: %s" % e]
    if not isinstance(event, dict):
        return ["not a JSON object"]

    errors = []
    event_type = event.get("event_type")
    if not isinstance(event_type, str):
        errors.append("\"event_type\" missing or not a string")
    if not isinstance(event.get("timestamp"), str):
        errors.append("\"timestamp\" missing or not a string")
    if errors or event_type not in SCHEMA_EVENTS:
        return errors

    counts[event_type] += 1
    if event_type == "alert":
        errors += check_li(event)
    eve = {k: v for k, v in event.items() if k != "li"}
    for e in sorted(validator.iter_errors(eve),
                    key=lambda e: [str(p) for p in e.absolute_path]):
        errors.append("schema: %s: %s" % (json_path(e), e.message))
    return errors


def check_file(name, validator):
    counts = {"alert": 0, "flow": 0}
    nb_lines = 0
    nb_errors = 0

    try:
        f = sys.stdin.buffer if name == "-" else open(name, "rb")
    except OSError as e:
        print("eve-check: %s: %s" % (name, e.strerror), file=sys.stderr)
        return 1
    with f:
        for nb_lines, raw in enumerate(f, start=1):
            if raw.endswith(b"\n"):
                raw = raw[:-1]
            for msg in check_line(raw, validator, counts):
                nb_errors += 1
                if nb_errors <= MAX_REPORTED:
                    print("eve-check: %s:%d: %s" % (name, nb_lines, msg),
                          file=sys.stderr)
    if nb_errors > MAX_REPORTED:
        print("eve-check: %s: %d more errors not shown"
              % (name, nb_errors - MAX_REPORTED), file=sys.stderr)
    print("eve-check: %s: %d lines, %d alerts, %d flows, %d errors"
          % (name, nb_lines, counts["alert"], counts["flow"], nb_errors))
    return nb_errors


def main():
    ap = argparse.ArgumentParser(
        prog="eve-check.py",
        description="Check EVE JSON lines against Suricata's EVE schema "
                    "(tapwatch's top-level \"li\" set aside).")
    ap.add_argument("--schema", metavar="PATH",
                    help="EVE schema (default: $TW_EVE_SCHEMA, else "
                         "<repo>/../shared/schemas/suricata-eve.schema.json)")
    ap.add_argument("files", nargs="+", metavar="FILE",
                    help="EVE file, one JSON object per line ('-' = stdin)")
    args = ap.parse_args()

    schema = args.schema or default_schema_path()
    try:
        validator = load_validator(schema)
    except (OSError, ValueError) as e:
        print("eve-check: cannot load schema %s: %s (set --schema or "
              "TW_EVE_SCHEMA)" % (schema, e), file=sys.stderr)
        return 2
    except Exception as e:  # jsonschema's SchemaError and friends
        print("eve-check: invalid schema %s: %s" % (schema, e),
              file=sys.stderr)
        return 2

    nb_errors = 0
    for name in args.files:
        nb_errors += check_file(name, validator)
    return 1 if nb_errors else 0


if __name__ == "__main__":
    sys.exit(main())
