#!/usr/bin/env python3
"""Writes the hostile corpus (Fixtures/invalid/hostile/*): malformed, mis-encoded and adversarial Arazzo
documents. Run it from anywhere; it overwrites the documents it owns and leaves the `.expected`
goldens alone (HostileDocumentTests writes fresh ones under $TMPDIR/arazzo-goldens on a mismatch).
Documents too large to commit (100 MB strings, 10,000-deep nesting) are built by the test itself.
"""
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
written = []


def put(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    written.append(name)


HEAD = """arazzo: 1.0.1
info:
  title: Hostile
  version: 1.0.0
sourceDescriptions:
  - name: api
    url: ./openapi.yaml
    type: openapi
"""

BASE = HEAD + """workflows:
  - workflowId: main
    inputs:
      type: object
      properties:
        name:
          type: string
    steps:
      - stepId: first
        operationId: getThing
        parameters:
          - name: id
            in: query
            value: $inputs.name
        successCriteria:
          - condition: $statusCode == 200
        outputs:
          id: $response.body#/id
      - stepId: second
        operationId: putThing
        requestBody:
          contentType: application/json
          payload:
            id: $steps.first.outputs.id
    outputs:
      id: $steps.first.outputs.id
"""


def workflow(step_extra="", wf_extra="", step_head="      - stepId: s\n        operationId: op\n"):
    return HEAD + "workflows:\n  - workflowId: w\n" + wf_extra + "    steps:\n" + step_head + step_extra


# --- Truncation -------------------------------------------------------------------------------
for cut, name in [(0.25, "truncated-quarter"), (0.5, "truncated-half"), (0.93, "truncated-late")]:
    put(name + ".yaml", BASE[: int(len(BASE) * cut)])
put("truncated-in-quoted-string.yaml", HEAD + 'workflows:\n  - workflowId: "main\n')
put("truncated-in-single-quoted-string.yaml", HEAD + "workflows:\n  - workflowId: 'main\n    steps: []\n")
put("truncated-flow-sequence.yaml", HEAD + "workflows: [{workflowId: a, steps: [{stepId: s, operationId: op}")
put("truncated-flow-mapping.yaml", HEAD + "workflows:\n  - {workflowId: a, steps: [")
put("truncated-block-scalar.yaml", HEAD + "workflows:\n  - workflowId: a\n    description: |\n")
put("truncated-utf8-sequence.yaml", (HEAD + "workflows:\n  - workflowId: caf").encode() + b"\xc3")
put("truncated-json.json", '{"arazzo": "1.0.1", "info": {"title": "T", "version": "1"}, "workflows": [{"workflowId": "a", ')
put("truncated-json-escape.json", '{"arazzo": "1.0.1", "info": {"title": "\\u00')
put("truncated-after-key.yaml", HEAD + "workflows:\n  - workflowId:")
put("truncated-anchor.yaml", HEAD + "workflows: &")

# --- Binary garbage ---------------------------------------------------------------------------
rng = random.Random(7)
put("binary-random.bin", bytes(rng.randrange(256) for _ in range(2048)))
put("binary-random-printable.yaml", "".join(chr(rng.randrange(32, 127)) for _ in range(2048)))
put("binary-png-header.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00")
put("binary-elf-header.bin", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56)
put("binary-gzip.bin", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(rng.randrange(256) for _ in range(64)))
put("binary-zeros.bin", b"\x00" * 1024)
put("binary-ff.bin", b"\xff" * 64)
put("nul-in-value.yaml", HEAD.replace("title: Hostile", "title: Host\x00ile"))
put("nul-in-key.yaml", HEAD.replace("title: Hostile", "ti\x00tle: Hostile"))
put("nul-at-end.yaml", HEAD + "workflows: []\n\x00")
put("nul-in-quoted.yaml", HEAD.replace("title: Hostile", 'title: "Host\x00ile"'))
put("control-characters.yaml", HEAD.replace("title: Hostile", "title: a\x01b\x07c\x1bd\x7fe"))
put("escaped-control-characters.yaml", HEAD.replace("title: Hostile", 'title: "a\\0b\\x07c\\e\\u0000"') + "workflows: []\n")

# --- Encodings and byte order marks -------------------------------------------------------------
DOC = HEAD + "workflows:\n  - workflowId: café\n    stepz: []\n"
put("encoding-utf8-bom.yaml", b"\xef\xbb\xbf" + DOC.encode())
put("encoding-utf8-bom-twice.yaml", b"\xef\xbb\xbf\xef\xbb\xbf" + DOC.encode())
put("encoding-utf8-bom-json.json", b"\xef\xbb\xbf" + b'{"arazzo": "1.0.1", "info": {"title": "T", "version": "1"}, "workflows": 3}')
put("encoding-utf16le-bom.yaml", b"\xff\xfe" + DOC.encode("utf-16-le"))
put("encoding-utf16be-bom.yaml", b"\xfe\xff" + DOC.encode("utf-16-be"))
put("encoding-utf16le-no-bom.yaml", DOC.encode("utf-16-le"))
put("encoding-utf16be-no-bom.yaml", DOC.encode("utf-16-be"))
put("encoding-utf32le-bom.yaml", b"\xff\xfe\x00\x00" + DOC.encode("utf-32-le"))
put("encoding-utf32be-bom.yaml", b"\x00\x00\xfe\xff" + DOC.encode("utf-32-be"))
put("encoding-utf32le-no-bom.yaml", DOC.encode("utf-32-le"))
put("encoding-latin1.yaml", DOC.encode("latin-1"))
put("encoding-windows-1252.yaml", (HEAD + "workflows:\n  - workflowId: w\n    summary: \u201cquoted\u201d \u2013 dash\n").encode("cp1252"))
put("encoding-utf8-overlong.yaml", (HEAD + "workflows:\n  - workflowId: a").encode() + b"\xc0\xaf" + b"\n")
put("encoding-utf8-surrogate.yaml", (HEAD + "workflows:\n  - workflowId: a").encode() + b"\xed\xa0\x80" + b"\n")
put("encoding-utf8-lone-continuation.yaml", (HEAD + "workflows:\n  - workflowId: a").encode() + b"\x80\xbf" + b"\n")
put("encoding-utf8-beyond-unicode.yaml", (HEAD + "workflows:\n  - workflowId: a").encode() + b"\xf4\x90\x80\x80" + b"\n")
put("encoding-utf16-odd-length.yaml", b"\xff\xfe" + DOC.encode("utf-16-le") + b"\x41")

# --- Line endings, whitespace, long lines -----------------------------------------------------
put("line-endings-crlf.yaml", DOC.replace("\n", "\r\n"))
put("line-endings-cr.yaml", DOC.replace("\n", "\r"))
put("line-endings-mixed.yaml", DOC.replace("info:\n", "info:\r\n").replace("  version", "\r  version"))
put("line-separator-u2028.yaml", HEAD + "workflows:\n  - workflowId: a\u2028b\n    stepz: []\n")
put("next-line-u0085.yaml", HEAD + "workflows:\n  - workflowId: a\u0085b\n    stepz: []\n")
put("tabs-indentation.yaml", HEAD + "workflows:\n\t- workflowId: a\n\t  steps: []\n")
put("tabs-after-indent.yaml", HEAD + "workflows:\n  - workflowId:\ta\n    stepz:\t[]\n")
put("long-line.yaml", HEAD + "workflows:\n  - workflowId: w\n    summary: " + "x" * 40000 + "\n    stepz: []\n")
put("long-line-error-at-end.yaml", HEAD + "workflows: [" + "{workflowId: w}, " * 2000 + "]]\n")
put("long-key.yaml", HEAD + "workflows:\n  - workflowId: w\n    " + "k" * 20000 + ": 1\n    steps: []\n")
put("long-workflow-id.yaml", workflow().replace("workflowId: w", "workflowId: " + "w" * 20000 + "!"))

# --- YAML structure -----------------------------------------------------------------------------
put("empty.yaml", "")
put("whitespace-only.yaml", "   \n\n\t\n")
put("comment-only.yaml", "# nothing here\n")
put("document-marker-only.yaml", "---\n")
put("document-end-only.yaml", "...\n")
put("null-document.yaml", "~\n")
put("scalar-document.yaml", "just a string\n")
put("sequence-document.yaml", "- arazzo: 1.0.1\n")
put("multiple-documents.yaml", HEAD + "workflows: []\n---\n" + HEAD)
put("yaml-directive-1-1.yaml", "%YAML 1.1\n---\n" + HEAD + "workflows: []\n")
put("yaml-directive-2-0.yaml", "%YAML 2.0\n---\n" + HEAD + "workflows: []\n")
put("tag-directive.yaml", "%TAG !e! tag:example.com,2000:\n---\n" + HEAD + "workflows: !e!list []\n")
put("tag-binary.yaml", HEAD + "workflows: !!binary aGVsbG8=\n")
put("tag-python.yaml", HEAD + "workflows: !!python/object:os.system ['rm -rf /']\n")
put("tag-verbatim.yaml", HEAD + "workflows: !<tag:yaml.org,2002:str> x\n")
put("alias-undefined.yaml", HEAD + "workflows: *nothing\n")
put("alias-self-reference.yaml", HEAD + "workflows: &a [*a]\n")
put("alias-as-key.yaml", HEAD + "k: &k workflows\n*k : []\n")
put("anchor-on-key.yaml", HEAD + "&a workflows: []\n")
put("merge-key.yaml", HEAD + "x-base: &base {stepId: s, operationId: op}\nworkflows:\n  - workflowId: w\n    steps:\n      - <<: *base\n")
lol = "x-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
for i in range(1, 10):
    lol += "x-%d: &a%d [%s]\n" % (i, i, ", ".join(["*a%d" % (i - 1)] * 10))
put("alias-bomb-billion-laughs.yaml", HEAD + lol + "workflows: *a9\n")
flow = "{" + ", ".join("x-%d: &b%d [%s]" % (i, i, ", ".join(["*b%d" % (i - 1)] * 9) if i else "a, b, c, d, e, f, g, h, i") for i in range(12)) + ", workflows: *b11}"
put("alias-bomb-flow.yaml", flow + "\n")
big = "x-big: &big [" + ", ".join(str(i) for i in range(2000)) + "]\n"
put("alias-quadratic.yaml", HEAD + big + "workflows:\n" + "".join("  - *big\n" for _ in range(2000)))
put("deep-flow-sequence.yaml", HEAD + "x-deep: " + "[" * 1000 + "]" * 1000 + "\nworkflows: []\n")
put("deep-flow-mapping.yaml", HEAD + "x-deep: " + "{a: " * 1000 + "1" + "}" * 1000 + "\nworkflows: []\n")
put("deep-block-mapping.yaml", HEAD + "x-deep:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(700)) + "workflows: []\n")
put("deep-json.json", '{"arazzo": "1.0.1", "x": ' + "[" * 2000 + "]" * 2000 + "}")
put("duplicate-keys-many.yaml", HEAD + "workflows: []\n" + "".join("x-k: %d\n" % i for i in range(50)))
put("duplicate-key-normalization.yaml", HEAD + "workflows:\n  - workflowId: w\n    x-caf\u00e9: 1\n    x-cafe\u0301: 2\n    stepz: []\n")
put("duplicate-key-quoted-vs-plain.yaml", HEAD + 'workflows: []\n"workflows": []\n')
put("non-scalar-key-sequence.yaml", HEAD + "? [a, b]\n: c\nworkflows: []\n")
put("complex-key-mapping.yaml", HEAD + "? {a: b}\n: c\nworkflows: []\n")
put("bad-indentation.yaml", HEAD + "workflows:\n  - workflowId: a\n   steps: []\n")
put("unclosed-quote-multiline.yaml", HEAD + 'workflows:\n  - workflowId: "a\n\n\n    steps: []\n')
put("invalid-escape.yaml", HEAD.replace("title: Hostile", 'title: "bad \\q escape"') + "workflows: []\n")
put("json-trailing-comma.json", '{"arazzo": "1.0.1", "info": {"title": "T", "version": "1",}, "workflows": [],}')
put("json-comments.json", '{"arazzo": "1.0.1", // comment\n "info": {"title": "T", "version": "1"}, "workflows": []}')
put("json-single-quotes.json", "{'arazzo': '1.0.1', 'info': {'title': 'T', 'version': '1'}, 'workflows': 1}")
put("json-nan-infinity.json", '{"arazzo": "1.0.1", "info": {"title": NaN, "version": Infinity}, "workflows": -Infinity}')
put("json-huge-numbers.json", '{"arazzo": "1.0.1", "info": {"title": 1e400, "version": 123456789012345678901234567890}, "workflows": -0, "sourceDescriptions": 1e-400}')
put("json-lone-surrogate.json", '{"arazzo": "1.0.1", "info": {"title": "\\ud800", "version": "\\udc00\\ud800"}, "workflows": []}')

# --- Every Arazzo field with the wrong type -----------------------------------------------------
put("wrong-type-root.yaml", "arazzo: [1.0.1]\ninfo: Hostile\nsourceDescriptions: {name: api}\nworkflows: workflow\ncomponents: [1]\n")
put("wrong-type-arazzo-number.yaml", HEAD.replace("arazzo: 1.0.1", "arazzo: 1.0") + "workflows: []\n")
put("wrong-type-arazzo-mapping.yaml", HEAD.replace("arazzo: 1.0.1", "arazzo: {version: 1.0.1}") + "workflows: []\n")
put("wrong-type-arazzo-null.yaml", HEAD.replace("arazzo: 1.0.1", "arazzo:") + "workflows: []\n")
put("wrong-type-info-fields.yaml", "arazzo: 1.0.1\ninfo:\n  title: [T]\n  summary: {a: b}\n  description: 12\n  version: 1.0\nsourceDescriptions: []\nworkflows: []\n")
put("wrong-type-source-fields.yaml", "arazzo: 1.0.1\ninfo: {title: T, version: '1'}\nsourceDescriptions:\n  - name: 12\n    url: [a]\n    type: true\n  - just-a-string\n  - null\nworkflows: []\n")
put("wrong-type-workflow-fields.yaml", HEAD + "workflows:\n  - workflowId: {a: b}\n    summary: [s]\n    description: 1\n    inputs: string\n    dependsOn: a\n    steps: {stepId: s}\n    successActions: {a: b}\n    failureActions: fail\n    outputs: [a]\n    parameters: {name: p}\n")
put("wrong-type-workflow-items.yaml", HEAD + "workflows:\n  - 12\n  - [a]\n  - workflow\n  -\n")
put("wrong-type-step-fields.yaml", workflow(step_head="      - stepId: [s]\n        description: [d]\n        operationId: 12\n        parameters: p\n        requestBody: body\n        successCriteria: {condition: x}\n        onSuccess: next\n        onFailure: {name: x}\n        outputs: [a]\n"))
put("wrong-type-step-targets.yaml", workflow(step_head="      - stepId: a\n        operationPath: {a: b}\n      - stepId: b\n        workflowId: true\n      - stepId: c\n        operationId: null\n"))
put("wrong-type-parameter-fields.yaml", workflow("        parameters:\n          - name: 12\n            in: [query]\n            value:\n          - name: x\n            in: body\n            value: 1\n          - 7\n"))
put("wrong-type-success-action-fields.yaml", workflow("        onSuccess:\n          - name: [n]\n            type: 12\n            workflowId: [w]\n            stepId: 3\n            criteria: {condition: x}\n"))
put("wrong-type-failure-action-fields.yaml", workflow("        onFailure:\n          - name: r\n            type: retry\n            retryAfter: 5s\n            retryLimit: '3'\n          - name: r2\n            type: retry\n            retryAfter: -1\n            retryLimit: 1.5\n          - name: r3\n            type: retry\n            retryAfter: {s: 1}\n            retryLimit: 99999999999999999999999\n          - name: r4\n            type: retry\n            retryAfter: .nan\n            retryLimit: -1\n          - name: r5\n            type: retry\n            retryAfter: .inf\n            retryLimit: 0x7fffffffffffffff\n"))
put("wrong-type-criterion-fields.yaml", workflow("        successCriteria:\n          - context: 12\n            condition: [a]\n          - condition: 200\n          - condition:\n          - condition: $statusCode == 200\n            type: [regex]\n          - condition: $statusCode == 200\n            type: 7\n          - condition: x\n          - plain string criterion\n"))
put("wrong-type-criterion-expression-type.yaml", workflow("        successCriteria:\n          - context: $response.body\n            condition: $.a\n            type: {type: 12, version: [a]}\n          - context: $response.body\n            condition: //a\n            type: {type: xpath}\n          - context: $response.body\n            condition: //a\n            type: {type: regex, version: x}\n          - context: $response.body\n            condition: //a\n            type: {version: xpath-10}\n"))
put("wrong-type-request-body-fields.yaml", workflow("        requestBody:\n          contentType: 12\n          payload: {a: b}\n          replacements: {target: /a}\n"))
put("wrong-type-replacement-fields.yaml", workflow("        requestBody:\n          payload: {a: b}\n          replacements:\n            - target: 12\n              value: 1\n            - target: [a]\n            - value: x\n            - 3\n"))
put("wrong-type-components.yaml", HEAD + "workflows: []\ncomponents:\n  inputs: [a]\n  parameters: p\n  successActions: 12\n  failureActions: {x: 1}\n")
put("wrong-type-component-keys.yaml", HEAD + "workflows: []\ncomponents:\n  parameters:\n    'bad key!': {name: a, in: query, value: 1}\n    '': {name: b, in: query, value: 1}\n    " + "k" * 3000 + "$: {name: c, in: query, value: 1}\n  inputs:\n    'sp ace': {type: string}\n")
put("wrong-type-reusable-fields.yaml", workflow("        parameters:\n          - reference: 12\n          - reference: [a]\n            value: {x: 1}\n          - reference: $components.parameters.missing\n        onSuccess:\n          - reference: $components.successActions\n          - reference: '$components.failureActions.x'\n"))
put("wrong-type-outputs-values.yaml", workflow("        outputs:\n          a: 12\n          b: [x]\n          c: {d: e}\n          'bad name!': $statusCode\n          '': $statusCode\n", wf_extra="    outputs:\n      x: true\n      y: null\n"))
put("wrong-type-extensions.yaml", HEAD + "workflows: []\nx-: 1\nX-upper: 2\nx-ok: {deep: [1, {a: *undefinedish}]}\n".replace("*undefinedish", "b"))

# --- Expressions ----------------------------------------------------------------------------------
put("expression-unbalanced-braces.yaml", workflow("        parameters:\n" + "".join(
    "          - name: p%d\n            in: query\n            value: '%s'\n" % (i, v) for i, v in enumerate(
        ["{$inputs.name", "$inputs.name}", "{{$inputs.name}}", "{$inputs.{name}}", "}{", "a{$inputs.name}b}", "{$", "{$}", "{ $inputs.name }", "{" * 50 + "$inputs.name" + "}" * 49])),
    wf_extra="    inputs: {type: object, properties: {name: {type: string}}}\n"))
put("expression-bad-outputs.yaml", workflow("        outputs:\n" + "".join(
    "          o%d: '%s'\n" % (i, v) for i, v in enumerate(
        ["abc", "$", "$$", "$steps.", "$steps..x", "$response.body#/a~2", "$response.body#no-slash", "$response.header.",
         "$inputs.", "$components.foo.bar", "$unknown", "$statusCode.extra", "$request.query", "$url#/x", "$sourceDescriptions.",
         "$steps.s.outputs", "$workflows.w.nope.x", "$response.body#/\u00e9\u0000", "$inputs.a b", "{$inputs.a}"]))))
put("expression-bad-conditions.yaml", workflow("        successCriteria:\n" + "".join(
    "          - condition: \"%s\"\n" % v for v in
    ["$statusCode == ", "(((((", "$statusCode == 200 &&", "'unterminated", "!" * 200 + "$statusCode", "$statusCode === 200",
     "$statusCode = 200", "200 == 200 == 200", "$statusCode == 200 ) ", "(" * 300 + "1" + ")" * 300, "$statusCode <> 200",
     "$response.body#/a[0 == 1", "$statusCode == 1e99999", "$statusCode == -", "\\u0000", "$statusCode == 0x1F"])))
put("expression-long.yaml", workflow("        outputs:\n          big: $response.body#/" + "/".join(["a"] * 5000) + "\n        successCriteria:\n          - condition: " + " && ".join(["$statusCode == 200"] * 800) + "\n        stepz: []\n"))
put("expression-operation-path.yaml", workflow(step_head="      - stepId: a\n        operationPath: '{$sourceDescriptions.api.url#/paths'\n      - stepId: b\n        operationPath: '{$sourceDescriptions.api.url}#paths'\n      - stepId: c\n        operationPath: '{$sourceDescriptions.nope.url}#/paths/~1x/get'\n      - stepId: d\n        operationPath: '{$inputs.x}'\n      - stepId: e\n        operationPath: '{{{{{{{{'\n"))
put("expression-payload-templates.yaml", workflow("        requestBody:\n          contentType: application/json\n          payload:\n            a: '{$steps.nope.outputs.x}'\n            b: ['{$inputs.', '{$response.body#/a}', '$statusCode']\n            c: {d: {e: {f: '}{'}}}\n          replacements:\n            - target: /a\n              value: '$steps.s.outputs.missing'\n            - target: 'not-a-pointer'\n              value: '{$'\n"))
put("expression-step-references.yaml", HEAD + "workflows:\n  - workflowId: w\n    steps:\n      - stepId: a\n        operationId: op\n        parameters:\n          - name: p\n            in: query\n            value: $steps.b.outputs.x\n        outputs:\n          x: $steps.a.outputs.x\n      - stepId: b\n        workflowId: other\n        successCriteria:\n          - condition: $statusCode == 200\n        outputs:\n          y: $response.body\n    outputs:\n      z: $steps.zz.outputs.q\n  - workflowId: other\n    steps:\n      - stepId: o\n        operationId: op\n")

# --- Criteria: catastrophic regexes, huge slices, hostile XPath -----------------------------------
def criteria(kind, conditions, context="$response.body"):
    # The unknown field at the end checks that locations after the hostile text stay right.
    return workflow(wf_extra="    summary: ok\n    stepz: []\n", step_extra="        successCriteria:\n" + "".join(
        "          - context: %s\n            condition: '%s'\n            type: %s\n" % (context, c.replace("'", "''"), kind) for c in conditions))

put("regex-catastrophic.yaml", criteria("regex", ["^(a+)+$", "^(a|aa)+$", "^(a|a?)+$", "(.*a){25}", "^(\\w+\\s?)*$", "^((a+)+)+b$", "^(a*)*$", "(x+x+)+y"]))
put("regex-invalid.yaml", criteria("regex", ["(", "[", "a{2,1}", "*", "a**", "(?<name", "\\", "\\2(a)", "(?<=a+)b", "\\p{Nope}", "[z-a]", "(?P<x>a)", "a{99999999999}", "x{2147483648}", "\\k<nope>", "(?i)a"]))
put("regex-huge-quantifiers.yaml", criteria("regex", ["a{1000000}", "(a{1000}){1000}", "((a{100}){100}){100}", "[\\s\\S]{65535,}", "(?:){1000000000}"]))
put("jsonpath-huge-slices.yaml", criteria("jsonpath", ["$[0:99999999999999999999:1]", "$[::-9007199254740991]", "$[-9007199254740992:]", "$[0:9007199254740991:1]", "$[9007199254740991:0:-1]", "$[::0]", "$[-1:-99999999999999999:-1]", "$[1e3]"]))
put("jsonpath-hostile.yaml", criteria("jsonpath", ["$..*..*..*..*..*..*", "$[", "$..", "$['\\ud800']", "$[?@.a == 1e999]", "$[?(" * 50 + "@" + ")]" * 50, "$." + "a." * 2000 + "a", "$[?match(@, '(a+)+$')]", "$[?search(@.a, '[')]", "$[?length(@) > count(@.*) && value(@..x) == 1]", "$[?foo(@)]", "@.a", "$ ", " $"]))
put("jsonpath-goessner-version.yaml", workflow("        successCriteria:\n          - context: $response.body\n            condition: $.a\n            type: {type: jsonpath, version: draft-goessner-dispatch-jsonpath-00}\n          - context: $response.body\n            condition: $.a\n            type: {type: jsonpath, version: rfc9999}\n"))
put("xpath-hostile.yaml", criteria("xpath", ["//[", "count(//*) > ", "(" * 500 + "1" + ")" * 500, "nope:element", "unknown-function()", "//a[" + "1][" * 500 + "1]", "/" * 1000, "string(" * 300 + "1" + ")" * 300, "document('/etc/passwd')", "//a[@x='\u0000']", "", "//*[local-name()='a'] | //b/@c"]))
put("xpath-versions.yaml", workflow("        successCriteria:\n" + "".join(
    "          - context: $response.body\n            condition: //a\n            type: {type: xpath, version: %s}\n" % v for v in ["xpath-40", "xpath-10", "'1.0'", "XPATH-10", "''"])))
put("criterion-context-hostile.yaml", workflow("        successCriteria:\n" + "".join(
    "          - context: '%s'\n            condition: '^a'\n            type: regex\n" % c for c in ["", "response.body", "$response.body#/", "{$response.body}", "$response.body#/" + "~" * 50, "$inputs"])))

# --- Semantic hostility ---------------------------------------------------------------------------
put("many-workflows-chain.yaml", HEAD + "workflows:\n" + "".join(
    "  - workflowId: w%d\n    dependsOn: [w%d]\n    steps:\n      - stepId: s\n        operationId: op\n" % (i, i + 1) for i in range(1000)))
put("many-duplicate-step-ids.yaml", workflow(step_head="".join("      - stepId: s\n        operationId: op%d\n" % i for i in range(300))))
put("many-goto-self.yaml", workflow(step_head="".join(
    "      - stepId: s%d\n        operationId: op\n        onSuccess:\n          - name: again\n            type: goto\n            stepId: s%d\n          - name: again\n            type: goto\n            stepId: s%d\n" % (i, i, i + 1000) for i in range(50))))
put("ids-unicode.yaml", HEAD + "workflows:\n  - workflowId: caf\u00e9\n    steps:\n      - stepId: \u202eevil\n        operationId: op\n      - stepId: \u0430dmin\n        operationId: op\n      - stepId: a\u200bb\n        operationId: op\n      - stepId: '\U0001F600'\n        operationId: op\n")
put("ids-reserved-words.yaml", HEAD + "workflows:\n  - workflowId: __proto__\n    steps:\n      - stepId: constructor\n        operationId: hasOwnProperty\n        onSuccess:\n          - name: toString\n            type: goto\n            workflowId: prototype\n")
put("depends-on-self-many.yaml", HEAD + "workflows:\n" + "".join(
    "  - workflowId: w%d\n    dependsOn: [w%d, w%d, nope%d]\n    steps:\n      - stepId: s\n        operationId: op\n" % (i, i, (i + 1) % 20, i) for i in range(20)))
put("components-hostile.yaml", HEAD + "workflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        operationId: op\n        parameters:\n          - reference: $components.parameters.a\n          - reference: $components.parameters.\n          - reference: $components.inputs.a\n          - reference: $components.parameters.a.b\n          - reference: '{$components.parameters.a}'\n        onFailure:\n          - reference: $components.failureActions.f\n          - reference: $components.successActions.f\ncomponents:\n  parameters:\n    a: {name: a, in: query, value: $components.parameters.a}\n  failureActions:\n    f: {name: f, type: goto, stepId: nowhere}\n  successActions:\n    f: {name: f, type: retry}\n")
put("source-names-hostile.yaml", "arazzo: 1.0.1\ninfo: {title: T, version: '1'}\nsourceDescriptions:\n  - name: api\n    url: ''\n  - name: api\n    url: ./b.yaml\n  - name: 'a b'\n    url: ./c.yaml\n  - name: ''\n    url: ./d.yaml\n    type: graphql\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        operationId: $sourceDescriptions.nope.op\n")
put("version-strings.yaml", HEAD.replace("1.0.1", "1.0.1-\u0000") + "workflows: []\n")
put("version-huge.yaml", HEAD.replace("1.0.1", "1.0." + "9" * 500) + "workflows: []\n")
put("version-1-1.yaml", HEAD.replace("1.0.1", "1.1.0") + "workflows: []\n")

# --- Sources the engine must load (no goldens: the model never reads them) ------------------------
SRC = "sources/"
def source_doc(url, kind="arazzo"):
    return ("arazzo: 1.0.1\ninfo: {title: T, version: '1'}\nsourceDescriptions:\n  - name: s\n    url: %s\n    type: %s\n"
            "workflows:\n  - workflowId: w\n    steps:\n      - stepId: a\n        operationId: $sourceDescriptions.s.op\n" % (url, kind))
put(SRC + "self-reference.arazzo.yaml", source_doc("./self-reference.arazzo.yaml"))
put(SRC + "self-reference-as-openapi.arazzo.yaml", source_doc("./self-reference-as-openapi.arazzo.yaml", "openapi"))
put(SRC + "mutual-a.arazzo.yaml", source_doc("./mutual-b.arazzo.yaml"))
put(SRC + "mutual-b.arazzo.yaml", source_doc("./mutual-a.arazzo.yaml"))
put(SRC + "dev-zero.arazzo.yaml", source_doc("/dev/zero", "openapi"))
put(SRC + "dev-urandom.arazzo.yaml", source_doc("file:///dev/urandom", "openapi"))
put(SRC + "dev-stdin.arazzo.yaml", source_doc("/dev/stdin", "openapi"))
put(SRC + "proc-self.arazzo.yaml", source_doc("/proc/self/mem", "openapi"))
put(SRC + "etc-passwd.arazzo.yaml", source_doc("file:///etc/passwd", "openapi"))
put(SRC + "directory.arazzo.yaml", source_doc("./", "openapi"))
put(SRC + "parent-traversal.arazzo.yaml", source_doc("../../../../../../../../etc/hostname", "openapi"))
put(SRC + "unreachable-host.arazzo.yaml", source_doc("http://10.255.255.1/openapi.yaml", "openapi"))
put(SRC + "unresolvable-host.arazzo.yaml", source_doc("https://nonexistent.invalid/openapi.yaml", "openapi"))
put(SRC + "bad-scheme.arazzo.yaml", source_doc("ftp://example.com/openapi.yaml", "openapi"))
put(SRC + "url-garbage.arazzo.yaml", source_doc("'http://[::1'", "openapi"))
put(SRC + "recursive-ref-openapi.arazzo.yaml", source_doc("./recursive-ref.openapi.yaml", "openapi"))
put(SRC + "recursive-ref.openapi.yaml", "openapi: 3.1.0\ninfo: {title: R, version: '1'}\npaths:\n  /a:\n    $ref: '#/paths/~1b'\n  /b:\n    $ref: '#/paths/~1a'\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n    C: {$ref: '#/components/schemas/C'}\n    D: {$ref: './recursive-ref.openapi.yaml#/components/schemas/D'}\n")
put(SRC + "external-ref-loop-openapi.arazzo.yaml", source_doc("./ref-loop-1.openapi.yaml", "openapi"))
put(SRC + "ref-loop-1.openapi.yaml", "openapi: 3.0.3\ninfo: {title: L1, version: '1'}\npaths:\n  /x:\n    $ref: './ref-loop-2.openapi.yaml#/paths/~1x'\n")
put(SRC + "ref-loop-2.openapi.yaml", "openapi: 3.0.3\ninfo: {title: L2, version: '1'}\npaths:\n  /x:\n    $ref: './ref-loop-1.openapi.yaml#/paths/~1x'\n")
put(SRC + "alias-bomb-openapi.arazzo.yaml", source_doc("./alias-bomb.openapi.yaml", "openapi"))
put(SRC + "alias-bomb.openapi.yaml", "openapi: 3.1.0\ninfo: {title: B, version: '1'}\n" + lol + "paths: *a9\n")
put(SRC + "binary-openapi.arazzo.yaml", source_doc("./binary.openapi.bin", "openapi"))
put(SRC + "binary.openapi.bin", bytes(random.Random(11).randrange(256) for _ in range(512)))

print("wrote %d files (%d documents with goldens)" % (len(written), len([w for w in written if not w.startswith(SRC)])))
