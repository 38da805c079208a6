#!/usr/bin/env bash
# Runs `arazzo-run run --mock` over every Arazzo workflow document in Fixtures/ (Fixtures/invalid,
# the JSONPath compliance data and conformance cases that expect a refusal left out) and over the
# OAI examples in ../shared/spec/examples: each workflow on its own, then every document with
# several workflows whole. Each workflow's result is classified from the --json report, the exit
# code and standard error (docs/conformance.md, "The --mock sweep"):
#
#   ok, criteria-not-met, description-silent, input-missing, expected-failure, invalid-document,
#   source-unavailable, dependency-not-run   acceptable: the mock's answers, the documents or the fixtures explain them
#   engine-error         anything else: an unresolved expression about a member some schema
#                        declares, a request that could not be built, a transport error, a
#                        refusal, a crash, a timeout
#
# Inputs are made up from each workflow's input schema (example, default, enum, const, then the
# type); a conformance case's own `inputs`, `env` and file-access arguments are used as well.
#
#   scripts/mock-sweep.sh [--release] [--timeout SECONDS] [--verbose] [--keep DIR]
#
# ARAZZO_RUN=/path/to/arazzo-run uses that binary instead of building one. Needs python3 with
# PyYAML (Debian: python3-yaml). Exit status: 0 when there is no engine error, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

release=0
timeout=60
verbose=0
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --release) release=1 ;;
    --timeout) timeout="$2"; shift ;;
    --verbose|-v) verbose=1 ;;
    --keep) keep="$2"; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "mock-sweep: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

# The first python3 that has PyYAML: the one on PATH, else Debian's (where python3-yaml installs).
python=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import yaml' 2>/dev/null; then python="$candidate"; break; fi
done
[ -n "$python" ] || {
  echo "mock-sweep: python3 with PyYAML is required (apt-get install python3-yaml, or pip install pyyaml)" >&2
  exit 2
}

if [ -n "${ARAZZO_RUN:-}" ]; then
  binary="$ARAZZO_RUN"
elif [ "$release" = 1 ]; then
  binary="$(./scripts/build-release.sh arazzo-run)/arazzo-run"
else
  ./scripts/setup.sh
  swift build --product arazzo-run >&2
  binary="$(swift build --show-bin-path)/arazzo-run"
fi
[ -x "$binary" ] || { echo "mock-sweep: no arazzo-run at $binary" >&2; exit 2; }
# The runs happen in other directories, so a relative path given by the caller must be resolved here.
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  work="$(cd "$keep" && pwd)"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi

exec "$python" - "$binary" "$work" "$timeout" "$verbose" <<'PYTHON'
import json, os, re, shutil, subprocess, sys
import yaml

binary, work, timeout, verbose = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4] == "1"
EXAMPLES = os.path.join("..", "shared", "spec", "examples")
SKIPPED_DIRS = {os.path.join("Fixtures", "invalid"), os.path.join("Fixtures", "jsonpath-cts")}
# Conformance arguments that change what runs or where it goes; the sweep sets its own.
DROPPED_ARGS = {"--workflow": 1, "--server": 1, "--dry-run": 0, "--mock": 0, "--json": 1, "--junit": 1,
                "--har": 1, "--inputs": 1}


def read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except Exception:
        return None


def is_arazzo(value):
    return isinstance(value, dict) and "arazzo" in value and isinstance(value.get("workflows"), list)


# ---------------------------------------------------------------- inputs from the schema

def resolve(document, schema, hops=0):
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and hops < 16:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return {}
        target = document
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, dict) else None
        schema, hops = target if isinstance(target, dict) else {}, hops + 1
    return schema if isinstance(schema, dict) else {}


STRING_FORMATS = {"uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "date-time": "2024-01-01T00:00:00Z",
                  "date": "2024-01-01", "email": "user@example.com", "uri": "https://example.com/",
                  "url": "https://example.com/", "hostname": "example.com", "ipv4": "192.0.2.1"}


def sample(document, schema, name, depth=0):
    schema = resolve(document, schema)
    if depth > 8:
        return None
    if "example" in schema:
        return schema["example"]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    for key in ("allOf", "oneOf", "anyOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            if key == "allOf":
                merged = {}
                for part in schema[key]:
                    value = sample(document, part, name, depth + 1)
                    if isinstance(value, dict):
                        merged.update(value)
                return merged
            return sample(document, schema[key][0], name, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "object":
        out = {}
        required = schema.get("required") or []
        for key, sub in (schema.get("properties") or {}).items():
            resolved = resolve(document, sub)
            # Below the top level only what is required or has a value of its own; at the top
            # every declared input, so a step bound to an optional one still has a value.
            if depth == 0 or key in required or any(k in resolved for k in ("example", "examples", "default")):
                out[key] = sample(document, sub, key, depth + 1)
        for key in required:
            out.setdefault(key, key)
        return out
    if kind == "array":
        return [sample(document, schema.get("items") or {}, name, depth + 1)] * max(1, min(schema.get("minItems") or 1, 3))
    if kind in ("integer", "number"):
        value = schema.get("minimum", schema.get("exclusiveMinimum", 1))
        value = value if isinstance(value, (int, float)) and not isinstance(value, bool) else 1
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    text = STRING_FORMATS.get(schema.get("format"), name or "string")
    if isinstance(schema.get("minLength"), int) and len(text) < schema["minLength"]:
        text += "x" * (schema["minLength"] - len(text))
    return text


def made_up_inputs(document, workflow):
    schema = resolve(document, workflow.get("inputs") or {})
    value = sample(document, schema, None) if schema else {}
    return value if isinstance(value, dict) else {}


# ---------------------------------------------------------------- what to run

def substitute_placeholders(folder):
    """Fills the conformance placeholders in a copied case (nothing is sent under --mock)."""
    for directory, _, files in os.walk(folder):
        for file in files:
            path = os.path.join(directory, file)
            with open(path, encoding="utf-8", errors="surrogateescape") as handle:
                text = handle.read()
            text = (text.replace("@@BASE_URL@@", "http://127.0.0.1:9").replace("@@REFUSED_URL@@", "http://127.0.0.1:9")
                    .replace("@@HOST@@", "127.0.0.1:9").replace("@@WS_URL@@", "ws://127.0.0.1:9")
                    .replace("@@WS_HOST@@", "127.0.0.1:9"))
            with open(path, "w", encoding="utf-8", errors="surrogateescape") as handle:
                handle.write(text)


def conformance_entries():
    root = os.path.join("Fixtures", "conformance")
    # Descriptions shared by many cases (`_shared/`, named as ../_shared/x.yaml) sit beside the
    # copied cases, as the test runners place them.
    for name in sorted(os.listdir(root)):
        if name.startswith("_") and os.path.isdir(os.path.join(root, name)):
            shared = os.path.join(work, "conformance", name)
            shutil.copytree(os.path.join(root, name), shared, dirs_exist_ok=True)
            substitute_placeholders(shared)
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        case = read(os.path.join(folder, "case.yaml"))
        if not isinstance(case, dict):
            continue
        command = case.get("command", "run")
        expect = case.get("expect") or {}
        wanted = expect.get("exit")
        wanted = set(wanted if isinstance(wanted, list) else [wanted])
        # Cases about a document or a command line the tool must refuse before running.
        if command == "validate" and 0 not in wanted:
            continue
        if command == "run" and wanted and wanted <= {2, 3} and "inputs" not in case:
            continue
        # A case that gives invalid inputs on purpose (exit 2) expects them refused.
        refuses_inputs = command == "run" and bool(wanted) and wanted <= {2, 3}
        copy = os.path.join(work, "conformance", name)
        shutil.copytree(folder, copy, dirs_exist_ok=True)
        substitute_placeholders(copy)
        args, raw, index = [], [str(a) for a in case.get("args") or []], 0
        while index < len(raw):
            if raw[index] in DROPPED_ARGS:
                index += 1 + DROPPED_ARGS[raw[index]]
                continue
            args.append(raw[index])
            index += 1
        env = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in (case.get("env") or {}).items()}
        # Workflows the case itself expects to fail (by design, with a scripted server).
        failing = {str(k): (v or {}).get("failedStep") for k, v in (expect.get("workflows") or {}).items()
                   if isinstance(v, dict) and v.get("outcome") == "failed"}
        document = case.get("document", "arazzo.yaml")
        yield dict(label=os.path.join(folder, document), path=os.path.join(copy, document), cwd=copy,
                   args=args, env=env, inputs=case.get("inputs") if isinstance(case.get("inputs"), dict) else {},
                   failing=failing, refuses_inputs=refuses_inputs)


def remote_maps():
    """--map arguments that serve the OAI examples' remote sources from local copies."""
    maps = []
    if os.path.isdir(os.path.join(EXAMPLES, "1.0.0")):
        maps.append("https://raw.githubusercontent.com/OAI/Arazzo-Specification/main/examples/1.0.0/=" + os.path.join(EXAMPLES, "1.0.0"))
    # LoginAndRetrievePets names the Swagger Petstore on GitHub; the conformance suite keeps
    # the subset it uses.
    petstore = os.path.join(work, "swagger-petstore")
    os.makedirs(petstore, exist_ok=True)
    shutil.copy(os.path.join("Fixtures", "conformance", "oai-login-and-retrieve-pets", "petstore.yaml"),
                os.path.join(petstore, "openapi.yaml"))
    substitute_placeholders(petstore)
    maps.append("https://raw.githubusercontent.com/swagger-api/swagger-petstore/master/src/main/resources/=" + petstore)
    return [argument for m in maps for argument in ("--map", m)]


def file_entries():
    roots = [os.path.join("Fixtures", d) for d in sorted(os.listdir("Fixtures"))
             if os.path.join("Fixtures", d) not in SKIPPED_DIRS and d != "conformance"]
    roots += [EXAMPLES] if os.path.isdir(EXAMPLES) else []
    maps = remote_maps()
    for root in roots:
        for directory, dirs, files in os.walk(root):
            dirs.sort()
            for file in sorted(files):
                if not file.endswith((".yaml", ".yml", ".json")):
                    continue
                path = os.path.join(directory, file)
                yield dict(label=path, path=os.path.abspath(path), cwd=os.getcwd(), args=list(maps), env={}, inputs={},
                           failing={}, refuses_inputs=False)


# ---------------------------------------------------------------- what the descriptions declare

def declared_names(entry, document):
    """Every property name and (lower-cased) response header name the document's local OpenAPI
    descriptions declare anywhere: a member the mock could not produce although some schema
    names it deserves a look; one no schema names is something the description never says."""
    properties, headers = set(), set()

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "properties" and isinstance(item, dict):
                    properties.update(str(k) for k in item)
                if key == "headers" and isinstance(item, dict):
                    headers.update(str(k).lower() for k in item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    base = os.path.dirname(entry["path"])
    for source in document.get("sourceDescriptions") or []:
        url = str((source or {}).get("url", ""))
        if "://" in url:
            for index, argument in enumerate(entry["args"]):
                prefix, _, local = argument.partition("=")
                if index > 0 and entry["args"][index - 1] == "--map" and url.startswith(prefix):
                    url = os.path.join(local, url[len(prefix):])
                    break
            else:
                continue
        path = url if os.path.isabs(url) else os.path.join(base, url)
        walk(read(path))
    return properties, headers


def silent_reason(message, names):
    """Why an unresolved expression is the description's silence rather than the mock's doing,
    or None when it may be the mock's."""
    properties, headers = names
    if "the response has no body" in message:
        # The mock answers a body whenever the chosen response declares content.
        return "the response declares no content"
    if "needs XML text as its context" in message:
        return "the description declares a JSON response"
    if "out of range" in message:
        return "the sample array has fewer items than the document reads"
    if "no header `" in message:
        name = message.split("no header `", 1)[1].split("`", 1)[0]
        return None if name.lower() in headers else f"no response declares header {name}"
    if "selected nothing" in message and "selector `" in message:
        # A Selector Object (Arazzo 1.1): silent when it names a member no schema declares.
        selector = message.split("selector `", 1)[1].split("`", 1)[0]
        members = re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", re.sub(r"'[^']*'", "", selector))
        if re.search(r"\[[1-9][0-9]*\]", selector):
            return "the sample array has fewer items than the document reads"
        undeclared = [m for m in members if m not in properties]
        return f"no schema declares member {undeclared[0]!r}" if undeclared else None
    for opening, closing in (("no member '", "'"), ("no member `", "`")):
        if opening in message:
            name = message.split(opening, 1)[1].split(closing, 1)[0]
            return None if name in properties else f"no schema declares member {name!r}"
    return None


def body_keys(value, keys=None):
    keys = set() if keys is None else keys
    if isinstance(value, dict):
        for key, item in value.items():
            keys.add(str(key))
            body_keys(item, keys)
    elif isinstance(value, list):
        for item in value:
            body_keys(item, keys)
    return keys


def jsonpath_members(verdict):
    condition = verdict.get("condition") or ""
    return [m for m in re.findall(r"\.([A-Za-z_][A-Za-z0-9_-]*)", condition) + re.findall(r"\['([^']+)'\]", condition)
            if m != "length"]


def criterion_silent(step, verdict, names):
    """Why a false criterion reads what the description never declares, or None."""
    explanation = verdict.get("explanation") or ""
    if "unresolved" in explanation:
        return silent_reason(explanation, names)
    if verdict.get("type") == "jsonpath":
        present = body_keys((step.get("response") or {}).get("body"))
        members = jsonpath_members(verdict)
        if members and all(m not in names[0] and m not in present for m in members):
            return f"no schema declares member {members[0]!r}"
    return None


def false_criterion_fault(step, verdict, names):
    """Why a criterion that evaluated to false may be the mock's doing (a member the schemas
    declare but the answer lacks), or None when the answer simply differs from what it wants."""
    explanation = verdict.get("explanation") or ""
    if "unresolved" in explanation:
        return None if silent_reason(explanation, names) else explanation
    if verdict.get("type") == "jsonpath":
        present = body_keys(((step.get("response") or {}).get("body")))
        missing = [m for m in jsonpath_members(verdict) if m in names[0] and m not in present]
        if missing:
            return f"{explanation} (declared member {missing[0]!r} absent from the answer)"
    return None


# ---------------------------------------------------------------- classification

ACCEPTABLE = ["ok", "criteria-not-met", "description-silent", "input-missing", "expected-failure", "invalid-document",
              "source-unavailable", "dependency-not-run"]


def all_steps(result):
    # Nested workflows first: a parent's unresolved `$outputs` follows from its child's.
    for nested in result.get("workflows") or []:
        yield from all_steps(nested)
    for step in result.get("steps") or []:
        yield step


def unresolved_messages(result):
    """(step, message) for every expression the run could not resolve."""
    for step in all_steps(result):
        for verdict in step.get("criteria") or []:
            if verdict.get("error"):
                yield step.get("stepId"), f"criterion {verdict.get('condition')!r}: {verdict['error']}"
        for note in step.get("notes") or []:
            if note.startswith("output ") and " unresolved: " in note:
                yield step.get("stepId"), note
            elif "could not be built" in note and ("unresolved" in note or "selected nothing" in note):
                yield step.get("stepId"), note
    failure = result.get("failure") or {}
    if failure.get("kind") == "action" and "unresolved" in failure.get("message", ""):
        # An action's parameters (Arazzo 1.1) evaluated when it fired.
        yield failure.get("stepId"), failure["message"]
    for warning in result.get("warnings") or []:
        if "omitted:" in warning and "never ran" not in warning:
            yield None, "workflow " + warning


def classify(entry, names, workflow_id, code, stderr, report):
    """(class, detail) for one workflow run."""
    if report is None:
        if code == 2 and "missing required inputs" in stderr:
            return "input-missing", first_line(stderr, "missing required inputs")
        if code == 3 and "cannot load source description" in stderr:
            return "source-unavailable", first_line(stderr, "cannot load source description")
        if code == 2 and ": error: " in stderr:
            return "invalid-document", first_line(stderr, ": error: ")
        return "engine-error", f"exit {code}, no report: {first_line(stderr, 'error') or stderr.strip()[:200]}"
    results = {r.get("workflowId"): r for r in report.get("workflows") or []}
    result = results.get(workflow_id)
    if result is None:
        not_run = [r for r in report.get("notRun") or [] if r.get("workflowId") == workflow_id]
        if not_run and entry["refuses_inputs"]:
            return "expected-failure", "the conformance case gives invalid inputs on purpose: " + "; ".join(not_run[0].get("diagnostics") or [])[:300]
        if not_run:
            return "input-missing", "; ".join(not_run[0].get("diagnostics") or [])[:300]
        return "engine-error", f"exit {code}, no result for the workflow: {first_line(stderr, 'error')}"
    failure = result.get("failure") or {}
    kind, message = failure.get("kind"), failure.get("message", "")
    if result.get("outcome") == "failed" and workflow_id in entry["failing"]:
        step = entry["failing"][workflow_id]
        if step is None or step == failure.get("stepId"):
            return "expected-failure", f"the conformance case expects it to fail: {message}"[:300]
    # Unresolved expressions: the description's silence, a cascade of one, or the mock's fault.
    silent = None
    for step_id, text in unresolved_messages(result):
        if "no output `" in text and silent:
            continue  # a called workflow's missing output, already explained
        if "has not completed in this run" in text:
            # `$workflows.y` read by a workflow that does not depend on y, in a run where y did not
            # come first (run alone with --workflow, or ordered before y: validate warns).
            return "dependency-not-run", f"step {step_id}: {text}"
        producer = re.search(r"was produced by workflow `([^`]+)`", text)
        if producer and producer.group(1) in results and producer.group(1) != workflow_id:
            # An earlier workflow of the same run left the output unresolved: classify as that run was.
            earlier, detail = classify(entry, names, producer.group(1), code, stderr, report)
            if earlier in ACCEPTABLE and earlier != "ok":
                return earlier, f"step {step_id}: cascades from workflow {producer.group(1)}: {detail}"
        reason = silent_reason(text, names)
        if reason is None:
            return "engine-error", f"step {step_id}: {text}"
        silent = silent or f"step {step_id}: {reason} ({text})"
    for step in all_steps(result):
        if step.get("transportError"):
            return "engine-error", f"step {step.get('stepId')}: transport error {step['transportError'].get('message')}"
    if result.get("outcome") == "succeeded":
        return ("description-silent", silent) if silent else ("ok", "")
    if silent:
        return "description-silent", silent
    if kind == "max-steps":
        return "criteria-not-met", f"a loop waits for an answer the examples never give: {message}"
    if kind in ("criteria", "retries-exhausted", "end-action", "action", "dependency", "workflow"):
        failed = [s for s in all_steps(result) if not s.get("succeeded")]
        for step in failed:
            built = [n for n in step.get("notes") or [] if "could not be built" in n]
            if built:
                return "engine-error", f"step {step.get('stepId')}: {built[0]}"
        for step in reversed(failed):
            false = [v for v in step.get("criteria") or [] if not v.get("passed")]
            for verdict in false:
                fault = false_criterion_fault(step, verdict, names)
                if fault:
                    return "engine-error", f"step {step.get('stepId')}: {fault}"
            if false:
                reasons = [criterion_silent(step, v, names) for v in false]
                if all(reasons):
                    return "description-silent", f"step {step.get('stepId')}: {reasons[0]} ({false[0].get('explanation')})"
                return "criteria-not-met", f"step {step.get('stepId')}: {false[0].get('explanation')} ({kind})"
    return "engine-error", f"{kind}: {message}"


def first_line(text, needle):
    return next((line.strip() for line in text.splitlines() if needle in line), "")


# ---------------------------------------------------------------- the sweep

def run(entry, workflow_ids, inputs, index):
    """Runs the document (only `workflow_ids` when given); (exit code, stderr, report, command)."""
    stem = os.path.join(work, "runs", f"{index:04d}")
    os.makedirs(os.path.dirname(stem), exist_ok=True)
    with open(stem + ".inputs.json", "w", encoding="utf-8") as handle:
        json.dump(inputs, handle)
    report_path = stem + ".report.json"
    command = [binary, "run", entry["path"], "--mock", "--inputs", stem + ".inputs.json", "--json", report_path]
    for workflow_id in workflow_ids:
        command += ["--workflow", workflow_id]
    command += entry["args"]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), "NO_COLOR": "1", **entry["env"]}
    try:
        done = subprocess.run(command, cwd=entry["cwd"], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout:g} s", None, command
    report = None
    if os.path.exists(report_path):
        with open(report_path, encoding="utf-8") as handle:
            report = json.load(handle)
    return done.returncode, done.stderr, report, command


def outcome(entry, names, workflow_id, code, stderr, report):
    if code is None:
        return "engine-error", stderr
    if code < 0 or code > 3:
        return "engine-error", f"crash: exit {code}: {stderr.strip()[-300:]}"
    return classify(entry, names, workflow_id, code, stderr, report)


def main():
    counts = {kind: 0 for kind in ACCEPTABLE + ["engine-error"]}
    whole_counts = dict(counts)
    errors, documents, index, whole_runs = [], 0, 0, 0
    for entry in list(conformance_entries()) + list(file_entries()):
        document = read(entry["path"])
        if not is_arazzo(document):
            continue
        documents += 1
        names = declared_names(entry, document)
        workflows = [w for w in document["workflows"] if isinstance(w, dict) and w.get("workflowId")]
        everything = {}
        # Each workflow on its own (its dependencies run with it).
        for workflow in workflows:
            index += 1
            inputs = made_up_inputs(document, workflow)
            inputs.update(entry["inputs"])
            for key, value in inputs.items():
                everything.setdefault(key, value)
            code, stderr, report, command = run(entry, [str(workflow["workflowId"])], inputs, index)
            kind, detail = outcome(entry, names, workflow["workflowId"], code, stderr, report)
            counts[kind] += 1
            line = f"{kind:18} {entry['label']} :: {workflow['workflowId']}" + (f" — {detail}" if detail else "")
            if kind == "engine-error":
                errors.append((line, command, entry["cwd"]))
            if verbose:
                print(line, flush=True)
        # The whole document in one run, as `arazzo-run run FILE --mock` does: workflows share
        # the run (dependsOn, $workflows.<id>.outputs). Only its engine errors are new news.
        if len(workflows) > 1:
            index += 1
            whole_runs += 1
            code, stderr, report, command = run(entry, [], everything, index)
            for workflow in workflows:
                kind, detail = outcome(entry, names, workflow["workflowId"], code, stderr, report)
                whole_counts[kind] += 1
                line = f"{kind:18} {entry['label']} :: {workflow['workflowId']} (whole document)" + (f" — {detail}" if detail else "")
                if kind == "engine-error":
                    errors.append((line, command, entry["cwd"]))
                if verbose:
                    print(line, flush=True)
    print(f"mock sweep: {documents} documents, {index - whole_runs} workflows run one by one")
    for kind, count in counts.items():
        print(f"  {kind:18} {count}")
    print(f"whole-document runs: {whole_runs} documents with several workflows, {sum(whole_counts.values())} workflow results")
    for kind, count in whole_counts.items():
        print(f"  {kind:18} {count}")
    if errors:
        print("engine errors:")
        for line, command, cwd in errors:
            print("  " + line)
            if verbose:
                print("    (cd " + cwd + " && " + " ".join(command) + ")")
    sys.exit(1 if errors else 0)


main()
PYTHON
