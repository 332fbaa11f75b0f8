"""Caches that fail: one that refuses connections, one that accepts them and never answers, and
a private redis-server to stop and start again (bench.server.RedisServer)."""

import socket
import threading

from bench.server import free_port
from forum.settings import shared_cache


def refusing_url() -> str:
    """A port nothing listens on: every connection is refused at once."""
    return f"redis://127.0.0.1:{free_port()}/0"


def caches(url: str, *, retry_seconds: float = 60) -> dict:
    """CACHES as production has them with REDIS_URL=url, asking again after ``retry_seconds``."""
    return {"default": {**shared_cache(url), "RETRY_SECONDS": retry_seconds}}


class SilentServer:
    """Accepts connections and never answers a byte, as a hung Redis does; counts them."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.url = f"redis://127.0.0.1:{self.socket.getsockname()[1]}/0"
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return  # closed
            self.connections.append(connection)

    def close(self) -> None:
        self.socket.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self.socket.close()
        for connection in self.connections:
            connection.close()
