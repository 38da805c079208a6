#!/usr/bin/env python3
"""An OTLP/HTTP trace receiver for the tracing tests (the `opentelemetry-proto` package).

Listens on 127.0.0.1 (port 0 unless given with --port), prints "PORT <n>" once ready, accepts
POST /v1/traces with a protobuf ExportTraceServiceRequest (gzip or not), and appends each span
to the file given with --out as one JSON object per line:
  {"service": ..., "traceId": hex, "spanId": hex, "parentSpanId": hex or "", "name": ...,
   "kind": "SPAN_KIND_CLIENT"..., "attributes": {key: value}, "status": {"code": ..., "message": ...},
   "events": [{"name": ..., "attributes": {...}}]}
and answers with an empty ExportTraceServiceResponse. Anything else gets 404. Stops when stdin
closes, so a test process that dies takes its receiver with it.
"""
import argparse
import gzip
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

lock = threading.Lock()


def any_value(value):
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [any_value(v) for v in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: any_value(kv.value) for kv in value.kvlist_value.values}
    if kind == "bytes_value":
        return value.bytes_value.hex()
    return getattr(value, kind) if kind else None


def attributes(pairs):
    return {kv.key: any_value(kv.value) for kv in pairs}


def spans_of(request):
    for resource_spans in request.resource_spans:
        resource = attributes(resource_spans.resource.attributes)
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                yield {
                    "service": resource.get("service.name"),
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": Span.SpanKind.Name(span.kind),
                    "attributes": attributes(span.attributes),
                    "status": {"code": Status.StatusCode.Name(span.status.code), "message": span.status.message},
                    "events": [{"name": e.name, "attributes": attributes(e.attributes)} for e in span.events],
                }


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/v1/traces":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        with lock, open(self.server.out, "a", encoding="utf-8") as out:
            for span in spans_of(request):
                out.write(json.dumps(span) + "\n")
        reply = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass  # quiet: the test reads the file, not the log


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.out = args.out
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdin.read()  # until the test closes our stdin
    server.shutdown()


if __name__ == "__main__":
    main()
