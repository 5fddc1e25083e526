"""Serves an ASGI app with uvicorn on 127.0.0.1 the way every Python test peer
does: bind the socket first (port 0 = ephemeral), print `LISTENING <port>`
once uvicorn has started (within 30 s), and run until SIGTERM. Logs go to
stderr with the peer's name. Imported by the peers in this folder."""
import asyncio
import socket
import sys

import uvicorn


def log_config(name):
    """uvicorn's loggers, to stderr, each line tagged with the peer's name."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": f"[{name}] %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
        "loggers": {logger: {"handlers": ["stderr"], "level": "INFO", "propagate": False}
                    for logger in ("uvicorn", "uvicorn.error", "uvicorn.access")},
    }


def closing_server(open_websockets):
    """A uvicorn.Server that first closes every WebSocket `open_websockets()`
    returns with 1001 "going away": uvicorn 0.17 just drops them (the client
    sees 1006)."""

    class ClosingServer(uvicorn.Server):
        async def shutdown(self, sockets=None):
            async def close_one(ws):
                try:
                    await asyncio.wait_for(ws.close(code=1001, reason="server shutting down"), 1.0)
                except Exception:
                    pass
            everyone = list(open_websockets())
            if everyone:
                await asyncio.gather(*(close_one(ws) for ws in everyone))
            await super().shutdown(sockets=sockets)

    return ClosingServer


def bind(host, port):
    """A listening TCP socket; port 0 picks a free one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


async def serve(app, host, port, name, server_class=uvicorn.Server, ws_ping_s=None, log_config_dict=None):
    """Runs `app` until it stops; returns the exit status for the peer."""
    sock = bind(host, port)
    config = uvicorn.Config(app, log_config=log_config_dict or log_config(name), ws="websockets",
                            ws_ping_interval=ws_ping_s, ws_ping_timeout=ws_ping_s,
                            lifespan="off", timeout_keep_alive=5)
    server = server_class(config)
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    for _ in range(3000):  # 30 s at most
        if server.started:
            break
        if task.done():
            task.result()  # re-raise the startup error
            return 1
        await asyncio.sleep(0.01)
    else:
        print(f"{name}: uvicorn did not start within 30 s", file=sys.stderr)
        return 1
    sys.stdout.write("LISTENING %d\n" % sock.getsockname()[1])
    sys.stdout.flush()
    await task
    return 0
