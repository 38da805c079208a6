#!/usr/bin/env python3
"""A WebSocket peer for the AsyncAPI transport tests (Python `websockets`).

Listens on 127.0.0.1 (port 0 unless given), prints "PORT <n>" once ready, and behaves by path:
  /echo          sends every message back unchanged.
  /orders        request/reply on one channel, correlated on the payload's `reqid`: for each
                 request it first sends a decoy reply for another reqid, then the real one
                 {"reqid": <same>, "status": "confirmed", "orderId": "order-<reqid>"}.
  /place-order   replies go to every client on /confirm-order, in the JSON header envelope
                 {"headers": {"orderRequestId": ...}, "payload": {"orderId": ...}}.
  /confirm-order only receives what /place-order sends.
  /silent        reads and never answers (receive timeouts).
  /push          sends {"event": "hello"} as soon as the client connects.
With `--tls CERT KEY` it serves wss with that certificate; `--client-ca CA` after it also requires
a client certificate signed by CA.
Stops when stdin closes, so a test process that dies takes its peer with it.
"""
import asyncio
import json
import ssl
import sys

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

confirm_clients = set()


async def handler(connection):
    try:
        await serve_path(connection)
    except ConnectionClosed:
        pass  # a client that goes away is no error for the peer


async def serve_path(connection):
    path = connection.request.path
    if path == "/confirm-order":
        confirm_clients.add(connection)
        try:
            await connection.wait_closed()
        finally:
            confirm_clients.discard(connection)
        return
    if path == "/push":
        await connection.send(json.dumps({"event": "hello"}))
    async for text in connection:
        if path == "/echo":
            await connection.send(text)
        elif path == "/orders":
            request = json.loads(text)
            reqid = request.get("reqid")
            await connection.send(json.dumps({"reqid": f"other-{reqid}", "status": "decoy"}))
            await connection.send(json.dumps({"reqid": reqid, "status": "confirmed", "orderId": f"order-{reqid}"}))
        elif path == "/place-order":
            envelope = json.loads(text)
            headers = envelope.get("headers", {})
            reply = json.dumps({
                "headers": {"orderRequestId": headers.get("orderRequestId")},
                "payload": {"orderId": f"order-{envelope['payload'].get('petId')}"},
            })
            for client in list(confirm_clients):
                await client.send(reply)


async def main():
    args = sys.argv[1:]
    context = None
    if args[:1] == ["--tls"]:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args[1], args[2])
        args = args[3:]
        if args[:1] == ["--client-ca"]:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args[1])
            args = args[2:]
    port = int(args[0]) if args else 0
    async with serve(handler, "127.0.0.1", port, ssl=context) as server:
        chosen = server.sockets[0].getsockname()[1]
        print(f"PORT {chosen}", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main())
