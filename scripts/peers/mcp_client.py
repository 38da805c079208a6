"""The official Python MCP client against `arazzo-run serve --mcp` (Tests/ArazzoMCPTests).

Usage: mcp_client.py ARAZZO_RUN FIXTURES_DIR

Starts a loopback HTTP server that plays the pet store of Fixtures/mcp/openapi.yaml and echoes
the credential it receives, then, over stdio and over streamable HTTP: lists the tools, checks
their names, descriptions and schemas, calls them (a success, a failed run, arguments the schema
refuses, an unknown tool) and checks that the canary credentials appear in no tool result and in
nothing the server printed. Exits 0 and prints "mcp client: all checks passed", or exits 1 with
what failed.
"""

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

BEARER = "canary-mcp-bearer-5d1e09a7c3"
PIN = "canary-mcp-pin-8b2f"
CANARIES = [BEARER, PIN]
EXPECTED_TOOLS = ["get-pet", "pets_count", "get-pet_2"]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL: " + what, flush=True)


class PetStore(BaseHTTPRequestHandler):
    """GET /pets/{id}: 404 for 404, else the pet with the Authorization header it was sent."""

    def do_GET(self):
        match = re.fullmatch(r"/pets/(\d+)", self.path)
        if not match or match.group(1) == "404":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"id": int(match.group(1)), "name": "Rex",
                           "auth": self.headers.get("Authorization", "")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def leaks(text):
    return [c for c in CANARIES if c in text]


def dump(result):
    return json.dumps(result.model_dump(mode="json", by_alias=True), sort_keys=True)


def text_of(result):
    return "\n".join(block.text for block in result.content if getattr(block, "type", "") == "text")


async def exercise(client, label):
    tools = (await client.list_tools()).tools
    names = [t.name for t in tools]
    check(names == EXPECTED_TOOLS, f"{label}: tools {names}, expected {EXPECTED_TOOLS}")
    by_name = {t.name: t for t in tools}
    pet = by_name.get("get-pet")
    if pet is None:
        return
    check(pet.description == "Look a pet up by id.\n\nFetches one pet and returns its name.",
          f"{label}: get-pet description {pet.description!r}")
    schema = pet.input_schema
    check(schema.get("type") == "object" and schema.get("required") == ["petId"],
          f"{label}: get-pet inputSchema {schema}")
    check("$ref" not in json.dumps(schema), f"{label}: a $ref is left in {schema}")
    check(schema.get("properties", {}).get("petId", {}).get("type") == "integer",
          f"{label}: petId is not an integer in {schema}")
    check(schema.get("properties", {}).get("pin", {}).get("x-arazzo-secret") is True,
          f"{label}: pin is not marked secret in {schema}")
    check(set((pet.output_schema or {}).get("properties", {})) == {"name", "auth"},
          f"{label}: get-pet outputSchema {pet.output_schema}")

    results = []
    ok = await client.call_tool("get-pet", {"petId": 7, "pin": PIN})
    results.append(ok)
    check(ok.is_error is False, f"{label}: get-pet 7 failed: {text_of(ok)}")
    structured = ok.structured_content or {}
    check(structured.get("name") == "Rex", f"{label}: get-pet 7 structuredContent {structured}")
    check("[REDACTED]" in str(structured.get("auth")), f"{label}: the echoed credential is not redacted: {structured}")
    check("succeeded" in text_of(ok), f"{label}: get-pet 7 text {text_of(ok)!r}")

    failed = await client.call_tool("get-pet", {"petId": 404})
    results.append(failed)
    check(failed.is_error is True, f"{label}: get-pet 404 is not an error: {dump(failed)}")
    check("fetch" in text_of(failed) and "failed" in text_of(failed), f"{label}: get-pet 404 text {text_of(failed)!r}")

    invalid = await client.call_tool("get-pet", {"petId": "seven"})
    results.append(invalid)
    check(invalid.is_error is True, f"{label}: invalid arguments are not an error: {dump(invalid)}")
    check("petId" in text_of(invalid), f"{label}: invalid arguments text {text_of(invalid)!r}")

    missing = await client.call_tool("get-pet", {})
    results.append(missing)
    check(missing.is_error is True and "petId" in text_of(missing), f"{label}: missing petId: {dump(missing)}")

    other = await client.call_tool("get-pet_2", {})
    results.append(other)
    check(other.is_error is False and (other.structured_content or {}).get("name") == "Rex",
          f"{label}: get-pet_2: {dump(other)}")

    try:
        unknown = await client.call_tool("no-such-tool", {})
        check(unknown.is_error is True, f"{label}: an unknown tool answered {dump(unknown)}")
    except Exception:
        pass  # a JSON-RPC error is the other accepted answer

    for result in results:
        found = leaks(dump(result))
        check(not found, f"{label}: a tool result holds {found}: {dump(result)}")


def check_http_guards(url):
    """The transport's own answers: no SSE stream (405), one path (404), DNS-rebinding guard (421)."""
    import http.client
    from urllib.parse import urlparse
    parsed = urlparse(url)
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    json_headers = {"Accept": "application/json", "Content-Type": "application/json"}
    for method, path, headers, expected in [
        ("GET", "/mcp", {"Accept": "text/event-stream"}, 405),
        ("POST", "/elsewhere", json_headers, 404),
        ("POST", "/mcp", {**json_headers, "Host": "rebound.example:80"}, 421),
        ("POST", "/mcp", {**json_headers, "Origin": "https://rebound.example"}, 403),
    ]:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        connection.request(method, path, body=body if method == "POST" else None, headers=headers)
        status = connection.getresponse().status
        connection.close()
        check(status == expected, f"http: {method} {path} {headers} answered {status}, expected {expected}")


async def main():
    binary, fixtures = sys.argv[1], sys.argv[2]
    store = ThreadingHTTPServer(("127.0.0.1", 0), PetStore)
    threading.Thread(target=store.serve_forever, daemon=True).start()
    port = store.server_address[1]
    args = ["serve", "--mcp", "pets.arazzo.yaml", "other.arazzo.yaml",
            "--server", f"petstore=http://127.0.0.1:{port}", "--allow-host", f"127.0.0.1:{port}",
            # An output of pets.arazzo.yaml only: with two documents it applies where it names something.
            "--secret-output", "get-pet.fetch.auth"]
    env = {"ARAZZO_AUTH_PETSTORE": "bearer:" + BEARER, "NO_COLOR": "1"}

    # stdio
    with tempfile.TemporaryFile(mode="w+") as errlog:
        params = StdioServerParameters(command=binary, args=args, env=env, cwd=fixtures)
        async with Client(stdio_client(params, errlog=errlog)) as client:
            await exercise(client, "stdio")
        errlog.seek(0)
        printed = errlog.read()
        check("serving 3 MCP tools on stdio" in printed, f"stdio: stderr lacks the serving line: {printed!r}")
        check("is the tool 'get-pet_2'" in printed, f"stdio: stderr lacks the rename note: {printed!r}")
        check(not leaks(printed), f"stdio: stderr holds {leaks(printed)}")

    # streamable HTTP
    process = subprocess.Popen([binary] + args + ["--http", "127.0.0.1:0"], cwd=fixtures,
                               env={**os.environ, **env}, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        printed = ""
        for line in process.stderr:
            printed += line
            match = re.search(r"at (http://127\.0\.0\.1:\d+/mcp)", line)
            if match:
                url = match.group(1)
                break
        check(url is not None, f"http: no listening line in {printed!r}")
        if url:
            async with Client(url) as client:
                await exercise(client, "http")
            check_http_guards(url)
    finally:
        process.terminate()
        rest, _ = process.communicate(timeout=10)
        check(rest == "", f"http: stdout is not empty: {rest!r}")
    store.shutdown()

    if failures:
        print(f"mcp client: {len(failures)} check(s) failed", flush=True)
        sys.exit(1)
    print("mcp client: all checks passed", flush=True)


asyncio.run(main())
