#!/usr/bin/env python3
"""Checks snicctl --json outputs against docs/json/ (see docs/json.md).

  json_validate.py SCHEMA_DIR OUT_DIR
      OUT_DIR/list holds "RC NAME CMD.DEF" lines: OUT_DIR/NAME.json must
      validate against $defs/DEF of SCHEMA_DIR/CMD.schema.json.
  json_validate.py --coverage SCHEMA_DIR USAGE_TXT JSON_MD
      every command of the usage text has SCHEMA_DIR/CMD.schema.json, or is
      named in JSON_MD's "Commands without JSON output" line.
Exit 0 when all is well, 1 with one line per problem on stderr.
"""
import glob
import json
import os
import re
import sys
import warnings

# RefResolver is the one API both Debian 12's jsonschema 4.10 and newer have.
warnings.simplefilter("ignore", DeprecationWarning)
from jsonschema import Draft202012Validator, RefResolver  # noqa: E402


def load_store(schema_dir):
    """Every schema by its $id: files refer to each other (meter.schema.json)."""
    store = {}
    for path in sorted(glob.glob(os.path.join(schema_dir, "*.schema.json"))):
        with open(path) as f:
            doc = json.load(f)
        Draft202012Validator.check_schema(doc)
        store[doc["$id"]] = doc
    return store


def validator(store, cmd, sub):
    doc = next((d for d in store.values() if d["$id"].endswith("/" + cmd + ".schema.json")), None)
    if doc is None:
        raise KeyError(f"no {cmd}.schema.json")
    if sub not in doc.get("$defs", {}):
        raise KeyError(f"{cmd}.schema.json has no $defs/{sub}")
    schema = {"$ref": doc["$id"] + "#/$defs/" + sub}
    return Draft202012Validator(schema, resolver=RefResolver("", schema, store=store))


def validate(schema_dir, out_dir):
    bad = 0
    store = load_store(schema_dir)
    with open(os.path.join(out_dir, "list")) as f:
        entries = [line.split() for line in f if line.strip()]
    for _rc, name, ref in entries:
        cmd, sub = ref.split(".", 1)
        try:
            val = validator(store, cmd, sub)
            with open(os.path.join(out_dir, name + ".json")) as f:
                doc = json.load(f)
        except (OSError, ValueError, KeyError) as e:
            print(f"{name}: {e}", file=sys.stderr)
            bad += 1
            continue
        for err in val.iter_errors(doc):
            path = "/".join(str(p) for p in err.absolute_path)
            print(f"{name} ({ref}) at /{path}: {err.message}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


def coverage(schema_dir, usage, json_md):
    with open(usage) as f:
        cmds = {m.group(1) for m in re.finditer(r"^  ([a-z][a-z-]*)\b", f.read(), re.M)}
    with open(json_md) as f:
        m = re.search(r"^Commands without JSON output: (.*)$", f.read(), re.M)
    none = set(re.findall(r"`([a-z-]+)`", m.group(1))) if m else set()
    bad = 0
    for cmd in sorted(cmds):
        if cmd not in none and not os.path.exists(os.path.join(schema_dir, cmd + ".schema.json")):
            print(f"command '{cmd}' has no schema in {schema_dir}", file=sys.stderr)
            bad += 1
    return 1 if bad or not cmds else 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--coverage":
        sys.exit(coverage(*sys.argv[2:]))
    if len(sys.argv) == 3:
        sys.exit(validate(*sys.argv[1:]))
    sys.exit(__doc__)
