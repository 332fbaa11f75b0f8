"""SQL queries pretalx runs for one anonymous GET, counted in its own process.

Run with the python of pretalx's virtualenv (bench/peer.py does), PRETALX_CONFIG_FILE set:

    var/peers/pretalx-venv/bin/python bench/pretalx/queries.py --host 127.0.0.1:8632 PATH...

Each path is asked for through pretalx's whole middleware stack (Django's test Client, DEBUG
off, queries caught with CaptureQueriesContext) three times: once beforehand (the process's
first look-ups), then at a URL of its own ("fresh": a query string no request had) and again at
that URL ("warm"). pretalx keeps no page, so both usually agree. Prints one JSON object:
{path: {"fresh": n, "warm": n, "status": code, "bytes": size}}.
"""

import argparse
import contextlib
import io
import json
import os
import secrets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True, help="the Host of pretalx.cfg's site url")
    parser.add_argument("paths", nargs="+")
    opts = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretalx.settings")
    import django

    with contextlib.redirect_stdout(io.StringIO()):  # pretalx's banner when run as root
        django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Accept: text/html, or pretalx answers its schedule in plain text.
    client = Client(HTTP_HOST=opts.host, HTTP_ACCEPT="text/html")
    counts = {}
    for path in opts.paths:
        client.get(path)
        unique = f"{path}{'&' if '?' in path else '?'}fresh={secrets.token_hex(4)}"
        found = {}
        for name in ("fresh", "warm"):
            with CaptureQueriesContext(connection) as caught:
                response = client.get(unique)
                body = b"".join(response) if response.streaming else response.content
            found[name] = len(caught)
        counts[path] = {**found, "status": response.status_code, "bytes": len(body)}
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
