#!/usr/bin/env python3
"""Validates JSON samples against definitions of an MCP revision's JSON Schema.

Usage: validate_schema.py SCHEMA MANIFEST

MANIFEST is a JSON file:

    {"revision": "2025-06-18",
     "samples": [{"file": "001-request.json",
                  "checks": [{"definition": "CallToolRequest", "pointer": ""},
                             {"definition": "CallToolResult", "pointer": "/result"}]}]}

Each sample file (relative to the manifest) must satisfy every check: the value at the
JSON pointer must validate against `#/definitions/<definition>` (2024-11-05 to 2025-06-18,
JSON Schema draft-07) or `#/$defs/<definition>` (2025-11-25 and later, draft 2020-12),
with references resolved within the schema document.

Prints one `FAIL` line per failed check and a final `validated N files, M checks` line;
exits 0 when every check passed, 1 when any failed, 2 on bad input.
"""

import json
import sys
from pathlib import Path

from jsonschema import Draft7Validator, Draft202012Validator

DRAFTS = {
    "http://json-schema.org/draft-07/schema#": (Draft7Validator, "definitions"),
    "https://json-schema.org/draft/2020-12/schema": (Draft202012Validator, "$defs"),
}


def resolve_pointer(document, pointer):
    """The value at an RFC 6901 JSON pointer."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise KeyError(f"pointer {pointer!r} does not start with '/'")
    value = document
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list):
            value = value[int(token)]
        else:
            value = value[token]
    return value


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_path, manifest_path = Path(argv[1]), Path(argv[2])
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))

    draft = DRAFTS.get(schema.get("$schema"))
    if draft is None:
        print(f"unknown $schema {schema.get('$schema')!r} in {schema_path}", file=sys.stderr)
        return 2
    validator_class, definitions_key = draft
    validator_class.check_schema(schema)
    definitions = schema[definitions_key]

    validators = {}

    def validator_for(name):
        if name not in validators:
            # The definition is reached by reference from a copy of the whole document, so
            # that every other reference resolves within it.
            root = dict(schema)
            root["$ref"] = f"#/{definitions_key}/{name}"
            validators[name] = validator_class(root)
        return validators[name]

    failures = 0
    files = 0
    checks = 0
    for sample in manifest["samples"]:
        path = manifest_path.parent / sample["file"]
        document = json.loads(path.read_text(encoding="utf-8"))
        files += 1
        for check in sample["checks"]:
            checks += 1
            name, pointer = check["definition"], check.get("pointer", "")
            if name not in definitions:
                print(f"FAIL {sample['file']} {name} {pointer or '/'}: no such definition in {manifest.get('revision')}")
                failures += 1
                continue
            try:
                value = resolve_pointer(document, pointer)
            except (KeyError, IndexError, ValueError) as error:
                print(f"FAIL {sample['file']} {name} {pointer}: no value at the pointer ({error})")
                failures += 1
                continue
            errors = sorted(validator_for(name).iter_errors(value), key=lambda e: list(e.absolute_path))
            for error in errors:
                location = "/" + "/".join(str(part) for part in error.absolute_path)
                message = error.message if len(error.message) <= 400 else error.message[:400] + "..."
                print(f"FAIL {sample['file']} {name} {pointer or '/'}: at {location}: {message}")
            if errors:
                failures += 1

    print(f"validated {files} files, {checks} checks, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
